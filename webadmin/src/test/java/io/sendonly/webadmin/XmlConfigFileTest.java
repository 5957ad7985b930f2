package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlConfigFileTest {
    @TempDir
    Path directory;

    @Test
    void setTextShouldChangeTheElementAndKeepCommentsAndLayout() throws Exception {
        Path file = write("""
            <?xml version="1.0"?>
            <!-- the domain list -->
            <domainlist class="org.apache.james.domainlist.memory.MemoryDomainList">
                <!-- qualifies bare addresses -->
                <defaultDomain>old.example</defaultDomain>
                <autodetect>false</autodetect>
            </domainlist>
            """);

        XmlConfigFile.setText(file, "example.com", "defaultDomain");

        assertThat(Files.readString(file)).isEqualTo("""
            <?xml version="1.0"?>
            <!-- the domain list -->
            <domainlist class="org.apache.james.domainlist.memory.MemoryDomainList">
                <!-- qualifies bare addresses -->
                <defaultDomain>example.com</defaultDomain>
                <autodetect>false</autodetect>
            </domainlist>
            """);
    }

    @Test
    void setTextShouldCreateTheMissingElementsOfThePath() throws Exception {
        Path file = write("<mailetcontainer><processors/></mailetcontainer>\n");

        XmlConfigFile.setText(file, "ops@example.com", "context", "postmaster");

        assertThat(Files.readString(file)).isEqualTo("<?xml version=\"1.0\"?>\n"
            + "<mailetcontainer><processors/><context><postmaster>ops@example.com</postmaster></context></mailetcontainer>\n");
    }

    @Test
    void setTextShouldChangeTheFirstOfSeveralElementsOfThatName() throws Exception {
        Path file = write("<c><context><postmaster>a@example.com</postmaster></context><context/></c>\n");

        XmlConfigFile.setText(file, "b@example.com", "context", "postmaster");

        assertThat(Files.readString(file)).contains("<context><postmaster>b@example.com</postmaster></context><context/>");
    }

    @Test
    void setTextShouldEscapeTheValue() throws Exception {
        Path file = write("<c><v>x</v></c>\n");

        XmlConfigFile.setText(file, "a<b&c", "v");

        assertThat(Files.readString(file)).contains("<v>a&lt;b&amp;c</v>");
    }

    @Test
    void setTextShouldWriteMode0600() throws Exception {
        Path file = write("<c><v>x</v></c>\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        XmlConfigFile.setText(file, "y", "v");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void setTextShouldRefuseADoctypeAndLeaveTheFile() throws Exception {
        String content = "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><c><v>&x;</v></c>\n";
        Path file = write(content);

        assertThatThrownBy(() -> XmlConfigFile.setText(file, "y", "v"))
            .isInstanceOf(IOException.class).hasMessageStartingWith(file + ": ");
        assertThat(Files.readString(file)).isEqualTo(content);
    }

    @Test
    void setTextShouldRefuseMalformedXmlNamingTheFile() throws Exception {
        Path file = write("<c><v>x</c>\n");

        assertThatThrownBy(() -> XmlConfigFile.setText(file, "y", "v"))
            .isInstanceOf(IOException.class).hasMessageStartingWith(file + ": ");
    }

    private Path write(String content) throws IOException {
        Path file = directory.resolve("config.xml");
        Files.writeString(file, content);
        return file;
    }
}
