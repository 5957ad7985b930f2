package io.sendonly.tls.rpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsRptRecordTest {
    @Test
    void parseShouldReadMailtoAndHttpsInOrder() {
        TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:tlsrpt@example.com, https://reports.example.com/tlsrpt");

        assertThat(record.rua()).containsExactly(URI.create("mailto:tlsrpt@example.com"), URI.create("https://reports.example.com/tlsrpt"));
        assertThat(record.mailAddresses()).containsExactly("tlsrpt@example.com");
        assertThat(record.httpsEndpoints()).containsExactly(URI.create("https://reports.example.com/tlsrpt"));
    }

    @Test
    void parseShouldAcceptExtensionsAndATrailingDelimiter() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@example.com;ext-1=value;").mailAddresses())
            .containsExactly("a@example.com");
    }

    @Test
    void parseShouldDecodeMailtoAndDropItsHeaders() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:tls%2Brpt@example.com?subject=x").mailAddresses())
            .containsExactly("tls+rpt@example.com");
    }

    @Test
    void parseShouldSkipOtherSchemes() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=ftp://example.com/x,mailto:a@example.com").rua())
            .containsExactly(URI.create("mailto:a@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=TLSRPTv2; rua=mailto:a@example.com",
        "v=tlsrptv1; rua=mailto:a@example.com",
        "rua=mailto:a@example.com; v=TLSRPTv1",
        "v=TLSRPTv1;",
        "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com",
        "v=TLSRPTv1; rua=ftp://example.com/x",
        "v=TLSRPTv1; rua=mailto:",
        "v=TLSRPTv1; rua=https:///no-host",
        "v=TLSRPTv1; rua=mailto:a@example.com;; x=y",
        "v=TLSRPTv1; rua=mailto:a@example.com; bad ext=1",
        "v=TLSRPTv1; rua=not a uri"
    })
    void parseShouldRefuseWhatTheGrammarDoesNotAllow(String text) {
        assertThatThrownBy(() -> TlsRptRecord.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectShouldIgnoreOtherTxtRecords() {
        assertThat(TlsRptRecord.select(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.com")))
            .contains(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com"));
    }

    @Test
    void selectShouldFindNoPolicyInTwoRecords() {
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com")))
            .isEmpty();
    }

    @Test
    void selectShouldFindNoPolicyWithoutRecord() {
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1", "v=TLSRPTv10; rua=mailto:a@example.com"))).isEmpty();
    }

    @Test
    void dnsNameShouldPrefixTheDomain() {
        assertThat(TlsRptRecord.dnsName("Example.com.")).isEqualTo("_smtp._tls.example.com");
    }
}
