// java bench/EdVerify.java: what the self-check's signature verification costs per key type, with the JDK providers
// it uses (SunEC for Ed25519, SunRsaSign for rsa-2048): ms per verification, three rounds of 400 (the first warms up).
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;

public class EdVerify {
    private static final int N = 400;

    public static void main(String[] args) throws Exception {
        byte[] data = new byte[32];
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        byte[] edSignature = sign("Ed25519", "SunEC", ed, data);
        byte[] rsaSignature = sign("SHA256withRSA", "SunRsaSign", rsa, data);
        for (int round = 0; round < 3; round++) {
            double edMs = msPerVerify("Ed25519", "SunEC", ed.getPublic(), data, edSignature);
            double rsaMs = msPerVerify("SHA256withRSA", "SunRsaSign", rsa.getPublic(), data, rsaSignature);
            System.out.printf("round %d: SunEC Ed25519 verify %.3f ms, SunRsaSign rsa-2048 verify %.3f ms%n", round, edMs, rsaMs);
        }
    }

    private static byte[] sign(String algorithm, String provider, KeyPair keys, byte[] data) throws Exception {
        Signature signer = Signature.getInstance(algorithm, provider);
        signer.initSign(keys.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static double msPerVerify(String algorithm, String provider, PublicKey key, byte[] data, byte[] signature) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < N; i++) {
            Signature verifier = Signature.getInstance(algorithm, provider);
            verifier.initVerify(key);
            verifier.update(data);
            if (!verifier.verify(signature)) {
                throw new AssertionError("a signature did not verify");
            }
        }
        return (System.nanoTime() - start) / 1e6 / N;
    }
}
