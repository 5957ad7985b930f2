package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/routes.md documents every parameter RouteDelivery accepts, in its parameter table. */
class RouteDeliveryDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "routes.md");

    @Test
    void everyParameterShouldHaveARowInTheDocumentedTable() throws Exception {
        String docs = Files.readString(DOCS);
        String table = docs.substring(docs.indexOf("## RouteDelivery parameters"), docs.indexOf("## Delivery reports"));

        assertThat(RouteDelivery.PARAMETERS).allSatisfy(parameter -> assertThat(table).contains("| `" + parameter + "` |"));
    }
}
