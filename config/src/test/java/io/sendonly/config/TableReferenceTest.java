package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableReferenceTest {
    @Test
    void parseShouldReadThePlainForm() {
        assertThat(TableReference.parse("file://conf/dkim/SigningTable"))
            .isEqualTo(new TableReference("file://conf/dkim/SigningTable", false));
    }

    @Test
    void parseShouldReadTheRefileFormAsWildcards() {
        assertThat(TableReference.parse(" refile:/etc/SigningTable "))
            .isEqualTo(new TableReference("/etc/SigningTable", true));
    }

    @Test
    void parseShouldRefuseRefileWithoutAFile() {
        assertThatThrownBy(() -> TableReference.parse("refile:"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("'refile:': the file is missing");
    }

    @Test
    void resolveShouldKeepTheForm() {
        assertThat(TableReference.parse("refile:file://conf/x").resolve(url -> url.replace("file://", "/opt/")))
            .isEqualTo(new TableReference("/opt/conf/x", true));
    }

    @Test
    void toStringShouldGiveTheParameterBack() {
        assertThat(TableReference.parse("refile:a").toString()).isEqualTo("refile:a");
        assertThat(TableReference.parse("a").toString()).isEqualTo("a");
    }
}
