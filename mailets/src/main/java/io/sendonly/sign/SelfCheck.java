package io.sendonly.sign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.impl.BodyHasherImpl;
import org.apache.james.jdkim.tagvalue.SignatureRecordImpl;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import io.sendonly.dkim.SigningKey;

/**
 * Verifies signatures we just made, with code that did not make them: Apache mime4j parses the message as jDKIM's
 * verifier does ({@link ParsedForVerification}), Apache jDKIM parses the DKIM-Signature, canonicalizes headers and
 * body and checks the body hash; the header signature is checked by the JDK's own providers (SunRsaSign for
 * rsa-sha256, SunEC's Ed25519 over the SHA-256 of the header data for ed25519-sha256, RFC 8463), not by BoringSSL or
 * Bouncy Castle, which sign. Public keys come from our private keys.
 * A message with 8-bit octets in its header cannot be judged (jDKIM reads header fields in the platform charset).
 * One instance per loaded set of keys: each public key is derived once, on its first use.
 */
final class SelfCheck {
    /** The verdict on one signature: empty when it verifies, else why not. */
    record Verdict(String signer, Optional<String> problem) {
        boolean verifies() {
            return problem.isEmpty();
        }
    }

    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Map<PrivateKey, PublicKey> publicKeys = new ConcurrentHashMap<>();

    /**
     * @param signed     the message with our signatures on top
     * @param signatures our DKIM-Signature fields, as added, each with the key that made it
     * @return one verdict per signature, or empty when the message cannot be judged (8-bit header)
     */
    Optional<List<Verdict>> verify(byte[] signed, List<String> signatures, List<SigningKey> keys) {
        if (hasEightBitHeader(signed)) {
            return Optional.empty();
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < signatures.size(); i++) {
            SigningKey key = keys.get(i);
            verdicts.add(new Verdict(key.toString(), problem(signed, signatures.get(i), key)));
        }
        return Optional.of(verdicts);
    }

    private Optional<String> problem(byte[] signed, String field, SigningKey key) {
        try {
            try (ParsedForVerification message = new ParsedForVerification(new ByteArrayInputStream(signed))) {
                SignatureRecord record = new SignatureRecordImpl(field.substring(field.indexOf(':') + 1));
                record.validate();
                byte[] body = message.body().readAllBytes();
                BodyHasherImpl bodyHasher = new BodyHasherImpl(record);
                try (OutputStream out = bodyHasher.getOutputStream()) {
                    out.write(body);
                }
                if (!Arrays.equals(bodyHasher.getDigest(), record.getBodyHash()) && !emptyRelaxedBody(record, body)) {
                    return Optional.of("body hash does not match the body sent");
                }
                Signature verifier = verifierFor(key);
                HeaderCheck.feed(message, record, verifier);
                return verifier.verify(record.getSignature()) ? Optional.empty() : Optional.of("header signature does not verify");
            }
        } catch (Exception e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * A relaxed signature over a body of blank lines, whose bh= is the hash of nothing (RFC 6376 3.4.4): jDKIM 0.3
     * hashes CRLF there, RFC 4871's rule that RFC 6376 changed, so this case alone is judged here.
     */
    private static boolean emptyRelaxedBody(SignatureRecord record, byte[] body) throws GeneralSecurityException {
        if (!SignatureRecord.RELAXED.equals(record.getBodyCanonicalisationMethod())) {
            return false;
        }
        for (byte b : body) {
            if (" \t\r\n".indexOf(b) < 0) {
                return false;
            }
        }
        return Arrays.equals(MessageDigest.getInstance("SHA-256").digest(), record.getBodyHash());
    }

    private Signature verifierFor(SigningKey key) throws GeneralSecurityException {
        PublicKey publicKey = publicKeys.get(key.privateKey());
        if (publicKey == null) {
            publicKey = publicKeyOf(key.privateKey());
            publicKeys.put(key.privateKey(), publicKey);
        }
        if (publicKey.getAlgorithm().equals("RSA")) {
            Signature rsa = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            rsa.initVerify(publicKey);
            return rsa;
        }
        return new Ed25519OverSha256(publicKey);
    }

    private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        return key.getAlgorithm().equals("RSA") ? rsaPublicKey(key) : ed25519PublicKey(key);
    }

    private static PublicKey rsaPublicKey(PrivateKey key) throws GeneralSecurityException {
        RSAPrivateCrtKey crt = key instanceof RSAPrivateCrtKey rsa ? rsa
            : (RSAPrivateCrtKey) KeyFactory.getInstance("RSA", "SunRsaSign").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        return KeyFactory.getInstance("RSA", "SunRsaSign").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    }

    private static PublicKey ed25519PublicKey(PrivateKey key) throws GeneralSecurityException {
        try {
            byte[] seed = ASN1OctetString.getInstance(PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey()).getOctets();
            byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            byte[] x509 = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + raw.length);
            System.arraycopy(raw, 0, x509, ED25519_X509_PREFIX.length, raw.length);
            return KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(x509));
        } catch (IOException e) {
            throw new GeneralSecurityException("not an Ed25519 PKCS#8 key", e);
        }
    }

    private static boolean hasEightBitHeader(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n' && i + 2 < message.length && message[i + 1] == '\r' && message[i + 2] == '\n') {
                return false;
            }
            if (message[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** jDKIM's own header canonicalization, fed to a verifier of ours. */
    private static final class HeaderCheck extends DKIMVerifier {
        static void feed(Headers message, SignatureRecord record, Signature verifier) throws Exception {
            signatureCheck(message, record, record.getHeaders(), verifier);
        }
    }

    /** ed25519-sha256 (RFC 8463): PureEdDSA over the SHA-256 of the header data, verified by the JDK's Ed25519. */
    private static final class Ed25519OverSha256 extends Signature {
        private final MessageDigest sha256;
        private final Signature ed25519;

        Ed25519OverSha256(PublicKey key) throws GeneralSecurityException {
            super("Ed25519-over-SHA256");
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.ed25519 = Signature.getInstance("Ed25519", "SunEC");
            initVerify(key);
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws java.security.InvalidKeyException {
            sha256.reset();
            ed25519.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) {
            throw new UnsupportedOperationException("verification only");
        }

        @Override
        protected void engineUpdate(byte b) {
            sha256.update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) {
            sha256.update(bytes, offset, length);
        }

        @Override
        protected byte[] engineSign() {
            throw new UnsupportedOperationException("verification only");
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            ed25519.update(sha256.digest());
            return ed25519.verify(signature);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String key) {
            throw new UnsupportedOperationException();
        }
    }
}
