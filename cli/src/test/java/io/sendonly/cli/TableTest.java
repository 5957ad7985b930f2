package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void toStringShouldAlignColumnsUnderTheHeader() {
        String table = new Table("PATTERN", "KEY")
            .row("*@example.com", "s2026._domainkey.example.com")
            .row("ops@example.org", "-")
            .toString();

        assertThat(table).isEqualTo("""
            PATTERN          KEY
            *@example.com    s2026._domainkey.example.com
            ops@example.org  -
            """);
    }
}
