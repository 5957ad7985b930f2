package io.sendonly.suppress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionStoreTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("var/suppressions/list");
    }

    private static Suppression entry(String address, Optional<String> senderDomain, Instant expiresAt) {
        return new Suppression(address, senderDomain, NOW, expiresAt, "5.1.1", "550 5.1.1 no such user");
    }

    @Test
    void findShouldAnswerAnAddedEntryWhateverTheCaseOfTheAddress() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));

        store.add(entry("Gone@Example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));

        assertThat(store.find("gone@EXAMPLE.net", Optional.of("app.example"))).map(Suppression::address).contains("gone@example.net");
        assertThat(store.find("other@example.net", Optional.empty())).isEmpty();
    }

    @Test
    void findShouldIgnoreAnExpiredEntry() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));

        store.add(entry("gone@example.net", Optional.empty(), NOW));

        assertThat(store.find("gone@example.net", Optional.empty())).isEmpty();
        assertThat(store.search("", 0, 10)).isEmpty();
    }

    @Test
    void findShouldStopOnlyTheListedSenderDomainWhenKeptPerSenderDomain() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));

        store.add(entry("gone@example.net", Optional.of("Shop.example"), NOW.plus(Duration.ofDays(1))));

        assertThat(store.find("gone@example.net", Optional.of("shop.example"))).isPresent();
        assertThat(store.find("gone@example.net", Optional.of("news.example"))).isEmpty();
        assertThat(store.find("gone@example.net", Optional.empty())).isEmpty();
    }

    @Test
    void openShouldReadTheEntriesBackAndPurgeTheExpired() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        store.add(entry("kept@example.net", Optional.of("shop.example"), NOW.plus(Duration.ofDays(2))));
        store.add(entry("expires@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));

        SuppressionStore reopened = SuppressionStore.open(file(), Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));

        assertThat(reopened.search("", 0, 10)).containsExactly(entry("kept@example.net", Optional.of("shop.example"),
            NOW.plus(Duration.ofDays(2))));
        assertThat(Files.readAllLines(file())).singleElement().asString().startsWith("kept@example.net\tshop.example\t");
    }

    @Test
    void theListShouldBeReadableByTheServiceUserAlone() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));

        store.add(entry("gone@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aReplyOverSeveralLinesShouldStayOneEntry() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        store.add(new Suppression("gone@example.net", Optional.empty(), NOW, NOW.plus(Duration.ofDays(1)), "5.1.1",
            "550-5.1.1 no such user\r\n550 5.1.1\tsee https://help"));

        assertThat(SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC)).find("gone@example.net", Optional.empty()))
            .map(Suppression::reply).contains("550-5.1.1 no such user 550 5.1.1 see https://help");
    }

    @Test
    void anAddressWithAControlCharacterShouldBeRefusedBeforeItSplitsALine() {
        assertThatThrownBy(() -> entry("\"a\tb\"@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("address: a control character in '\"a?b\"@example.net'");
    }

    @Test
    void removeShouldDropTheEntryOfThatSenderDomainOnly() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        store.add(entry("gone@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));
        store.add(entry("gone@example.net", Optional.of("shop.example"), NOW.plus(Duration.ofDays(1))));

        assertThat(store.remove("GONE@example.net", Optional.of("shop.example"))).isTrue();
        assertThat(store.remove("gone@example.net", Optional.of("shop.example"))).isFalse();

        assertThat(SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC)).of("gone@example.net"))
            .extracting(Suppression::senderDomain).containsExactly(Optional.empty());
    }

    @Test
    void searchShouldPageTheMatchingAddressesInOrder() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (String address : List.of("d@example.net", "a@example.net", "c@other.org", "b@example.net")) {
            store.add(entry(address, Optional.empty(), NOW.plus(Duration.ofDays(1))));
        }

        assertThat(store.search("EXAMPLE", 1, 2)).extracting(Suppression::address).containsExactly("b@example.net", "d@example.net");
    }

    @Test
    void concurrentAddsShouldAllBeKept() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Suppression>>> adds = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String address = "user" + i + "@example.net";
                adds.add(threads.submit(() -> {
                    store.add(entry(address, Optional.empty(), NOW.plus(Duration.ofDays(1))));
                    return store.find(address, Optional.empty());
                }));
            }
            for (Future<Optional<Suppression>> add : adds) {
                assertThat(add.get()).isPresent();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC)).search("", 0, 1000)).hasSize(200);
    }

    @Test
    void openShouldReplayRemovalsAndSkipALastLineCutByACrash() throws Exception {
        SuppressionStore store = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
        store.add(entry("gone@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));
        store.add(entry("kept@example.net", Optional.empty(), NOW.plus(Duration.ofDays(1))));
        store.remove("gone@example.net", Optional.empty());
        Files.writeString(file(), "cut@example.net\t*\t2026-", StandardOpenOption.APPEND);

        SuppressionStore reopened = SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(reopened.search("", 0, 10)).extracting(Suppression::address).containsExactly("kept@example.net");
        assertThat(Files.readAllLines(file())).singleElement().asString().startsWith("kept@example.net\t");
    }

    @Test
    void aChangeThroughOneStoreShouldBeSeenByAnotherOnTheSameFile() throws Exception {
        SuppressionStore nodeA = openNode();
        SuppressionStore nodeB = openNode();

        nodeA.add(listedForADay("gone@example.net"));

        assertThat(nodeB.find("gone@example.net", Optional.empty())).isPresent();
        assertThat(nodeB.remove("gone@example.net", Optional.empty())).isTrue();
        assertThat(nodeA.find("gone@example.net", Optional.empty())).isEmpty();
        assertThat(nodeA.remove("gone@example.net", Optional.empty())).isFalse();
    }

    @Test
    void aCompactionByAnotherStoreShouldBeFollowed() throws Exception {
        SuppressionStore nodeA = openNode();
        nodeA.add(listedForADay("first@example.net"));
        nodeA.add(listedForADay("removed@example.net"));
        nodeA.remove("removed@example.net", Optional.empty());

        SuppressionStore nodeB = openNode();
        nodeB.add(listedForADay("second@example.net"));
        nodeA.add(listedForADay("third@example.net"));

        for (SuppressionStore node : List.of(nodeA, nodeB)) {
            assertThat(node.search("", 0, 10)).extracting(Suppression::address)
                .containsExactly("first@example.net", "second@example.net", "third@example.net");
        }
    }

    @Test
    void aLineCutByAnotherNodesCrashShouldBeDroppedBeforeTheNextAppend() throws Exception {
        SuppressionStore store = openNode();
        store.add(listedForADay("kept@example.net"));
        Files.writeString(file(), "cut@example.net\t*\t2026-", StandardOpenOption.APPEND);

        store.add(listedForADay("next@example.net"));

        assertThat(Files.readAllLines(file())).hasSize(2).noneMatch(line -> line.startsWith("cut@"));
        assertThat(openNode().search("", 0, 10))
            .extracting(Suppression::address).containsExactly("kept@example.net", "next@example.net");
    }

    /** A store as a node opens it: one per node in production, here several on one file, used one at a time. */
    private SuppressionStore openNode() throws Exception {
        return SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Suppression listedForADay(String address) {
        return entry(address, Optional.empty(), NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void openShouldFailNamingTheFileAndLineOfABadEntry() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "gone@example.net\t*\t2026-01-01T00:00:00Z\tlater\t5.1.1\tno such user\n");

        assertThatThrownBy(() -> SuppressionStore.open(file(), Clock.fixed(NOW, ZoneOffset.UTC)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(file() + ":1: bad time: later");
    }
}
