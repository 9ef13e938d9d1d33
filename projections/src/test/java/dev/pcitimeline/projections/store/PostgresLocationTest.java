package dev.pcitimeline.projections.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresLocationTest {

    @Test
    void readsLibpqStyleUris() {
        assertThat(PostgresLocation.parse("postgresql://u:p@host:5433/pci"))
                .contains(new PostgresLocation("jdbc:postgresql://host:5433/pci", "u", "p"));
        assertThat(PostgresLocation.parse("postgres://host/pci"))
                .contains(new PostgresLocation("jdbc:postgresql://host/pci", null, null));
        assertThat(PostgresLocation.parse("PostgreSQL://u@host"))
                .contains(new PostgresLocation("jdbc:postgresql://host", "u", null));
        assertThat(PostgresLocation.parse("postgresql://u:p@[::1]:5432/pci?sslmode=disable&connectTimeout=5"))
                .contains(new PostgresLocation("jdbc:postgresql://[::1]:5432/pci?sslmode=disable&connectTimeout=5",
                        "u", "p"));
    }

    @Test
    void decodesCredentialsLikeAUriNotLikeAForm() {
        assertThat(PostgresLocation.parse("postgresql://us%65r:a+b%2Fc%3Ad%40e@host/pci"))
                .contains(new PostgresLocation("jdbc:postgresql://host/pci", "user", "a+b/c:d@e"));
        // An unencoded '@' in the password: the last '@' before the host ends the user info.
        assertThat(PostgresLocation.parse("postgresql://u:p@ss@host/pci"))
                .contains(new PostgresLocation("jdbc:postgresql://host/pci", "u", "p@ss"));
    }

    @Test
    void noHostMeansLocalhost() {
        assertThat(PostgresLocation.parse("postgresql:///pci"))
                .contains(new PostgresLocation("jdbc:postgresql://localhost/pci", null, null));
    }

    @Test
    void jdbcUrlsPassThrough() {
        assertThat(PostgresLocation.parse(" jdbc:postgresql://host/pci?user=u "))
                .contains(new PostgresLocation("jdbc:postgresql://host/pci?user=u", null, null));
        assertThat(PostgresLocation.isPostgresJdbcUrl("jdbc:postgresql:pci")).isTrue();
        assertThat(PostgresLocation.isPostgresJdbcUrl("jdbc:h2:mem:x")).isFalse();
    }

    @Test
    void directoriesAndMemAreNotPostgres() {
        assertThat(PostgresLocation.parse("./data")).isEmpty();
        assertThat(PostgresLocation.parse("mem")).isEmpty();
        assertThat(PostgresLocation.parse("/srv/postgres/store")).isEmpty();
        assertThat(PostgresLocation.parse(null)).isEmpty();
    }

    @Test
    void neverPrintsThePassword() {
        PostgresLocation location = PostgresLocation.parse("postgresql://u:hunter2@host/pci").orElseThrow();
        assertThat(location.toString()).doesNotContain("hunter2").contains("jdbc:postgresql://host/pci");
        assertThatThrownBy(() -> PostgresLocation.parse("postgresql://u:hunter2@ho st/pci"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
    }
}
