package io.sendonly.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.config.TableEditor;
import io.sendonly.route.RouteTable.Match;
import io.sendonly.route.RouteTableEditor.Line;

/** The golden {@code routes/routes.in}, edited and written back. */
class RouteTableEditorTest {
    @TempDir
    Path directory;
    private Path file;
    private TableEditor<Line> editor;
    private List<String> golden;

    @BeforeEach
    void setUp() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/routes/routes.in")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        file = directory.resolve("routes");
        Files.write(file, golden);
        editor = RouteTableEditor.open(file);
    }

    @Test
    void theGoldenFileShouldReadAsLinesAndWriteBackUnchanged() throws Exception {
        assertThat(editor.table().entries()).startsWith(
            new Line(Match.RECIPIENT, Optional.of("example.net"), "direct"),
            new Line(Match.RECIPIENT, Optional.of(".example.org"), "[mx.partner.example]:2525"));
        assertThat(editor.table().entries()).contains(
            new Line(Match.DEFAULT, Optional.empty(), "smtp.sendgrid.net smtp --port=587 --starttls --user=apikey --pass=SG.x"));

        editor.write(editor.table());

        assertThat(Files.readAllLines(file)).isEqualTo(golden);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void replacingAKeysHopsShouldKeepItsPlaceAndTheComments() throws Exception {
        Optional<String> partner = Optional.of("partner.example");
        editor.write(editor.table().replace(line -> line.hasKey(Match.RECIPIENT, partner),
            List.of(new Line(Match.RECIPIENT, partner, "[b.example]:25"), new Line(Match.RECIPIENT, partner, "[a.example]:25"))));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.subList(0, 5)).containsExactly(golden.get(0), golden.get(1), golden.get(2),
            "recipient partner.example [b.example]:25", "recipient partner.example [a.example]:25");
        assertThat(lines.subList(5, lines.size())).isEqualTo(golden.subList(5, golden.size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[a.example]:25\rdefault direct", "[a.example]:25\ndefault direct", "a.example smtp\t--port=1",
        "[a.example]:25\0", "[a.example]:25 #", "", " [a.example]:25", "a.example  smtp --pass=secret"})
    void hostileHopsShouldBeRefusedNamingTheFieldWithoutThePassword(String hop) {
        assertThatThrownBy(() -> editor.table().add(new Line(Match.DEFAULT, Optional.empty(), hop)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hop: ").hasMessageNotContaining("secret");
    }

    @Test
    void hostileDomainsShouldBeRefusedNamingTheField() {
        assertThatThrownBy(() -> editor.table().add(new Line(Match.SENDER, Optional.of("a.example\r"), "direct"))).hasMessageStartingWith("domain: ");
        assertThatThrownBy(() -> editor.table().add(new Line(Match.SENDER, Optional.empty(), "direct"))).hasMessageStartingWith("domain: ");
        assertThatThrownBy(() -> editor.table().add(new Line(Match.DEFAULT, Optional.of("a.example"), "direct"))).hasMessageStartingWith("domain: ");
    }

    @Test
    void aHopDeliveryCannotReadShouldNotBeWrittenAndTheErrorShouldHideThePassword() throws Exception {
        assertThatThrownBy(() -> editor.write(editor.table().add(new Line(Match.DEFAULT, Optional.empty(), "a.example smtp --bogus --pass=secret"))))
            .hasMessageStartingWith("hop: " + file + ":").hasMessageNotContaining("secret");
        assertThat(Files.readAllLines(file)).isEqualTo(golden);
    }

    @Test
    void aCaFileDeliveryCannotReadShouldNotBeWrittenAndAReadableOneShould() throws Exception {
        Line hop = new Line(Match.DEFAULT, Optional.empty(), "relay.example smtp --starttls --x509cafile=relay.pem");

        assertThatThrownBy(() -> editor.write(editor.table().add(hop)))
            .hasMessage("hop: " + file + ": CA file " + directory.resolve("relay.pem") + " is not readable");
        assertThat(Files.readAllLines(file)).isEqualTo(golden);

        Files.writeString(directory.resolve("relay.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        editor.write(editor.table().add(hop));
        assertThat(editor.table().entries()).endsWith(hop);
    }
}
