package dev.egnytebridge.egnyte;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlPlaceholdersTest {

    private static final Instant START = Instant.parse("2025-05-28T11:41:12.345Z");

    @Test
    void fillsGmtDateWithQuotedLiteralsAndEncodesIt() {
        String url = UrlPlaceholders.fill("/pubapi/v1/fs/Shared?since=${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}",
                START, ZoneId.of("Europe/Berlin"));

        assertThat(url).isEqualTo("/pubapi/v1/fs/Shared?since=2025-05-28T11%3A41%3A12Z");
    }

    @Test
    void fillsDateInTheInstancesZone() {
        String url = UrlPlaceholders.fill("/x?d=${date:yyyy-MM-dd HH:mm}", START, ZoneId.of("Europe/Berlin"));

        assertThat(url).isEqualTo("/x?d=2025-05-28%2013%3A41");
    }

    @Test
    void fillsEpochPlaceholders() {
        String url = UrlPlaceholders.fill("/x?a=${epoch}&b=${epoch:s}&c=${milliseconds}", START, ZoneOffset.UTC);

        assertThat(url).isEqualTo("/x?a=1748432472345&b=1748432472&c=1748432472345");
    }

    @Test
    void fillsSeveralPlaceholdersAndLeavesTheRestAlone() {
        String url = UrlPlaceholders.fill("/a/${gmtDate:yyyy}/b?x=$1&y=${gmtDate:MM}", START, null);

        assertThat(url).isEqualTo("/a/2025/b?x=$1&y=05");
        assertThat(UrlPlaceholders.fill("/plain?x=1", START, null)).isEqualTo("/plain?x=1");
    }

    @Test
    void rejectsUnknownPlaceholders() {
        assertThatThrownBy(() -> UrlPlaceholders.validate("/x?since=${yesterday}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown URL placeholder ${yesterday}");
        assertThatThrownBy(() -> UrlPlaceholders.validate("/x?since=${epoch:minutes}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBadFormatsAndUnclosedPlaceholders() {
        assertThatThrownBy(() -> UrlPlaceholders.validate("/x?since=${gmtDate:yyyy-MM-dd bbb}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad date format");
        assertThatThrownBy(() -> UrlPlaceholders.validate("/x?since=${gmtDate:}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlPlaceholders.validate("/x?since=${gmtDate:yyyy"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
    }

    @Test
    void validatesAGoodUrlWithoutComplaint() {
        UrlPlaceholders.validate("/pubapi/v1/fs/Shared?since=${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSSX'}&t=${epoch:s}");

        assertThat(UrlPlaceholders.hasPlaceholders("/x?${epoch}")).isTrue();
        assertThat(UrlPlaceholders.hasPlaceholders("/x")).isFalse();
    }

    @Test
    void writesMonthAndDayNamesInEnglish() {
        String url = UrlPlaceholders.fill("/x?d=${gmtDate:EEE, dd MMM yyyy HH:mm:ss zzz}", START, null);

        assertThat(url).isEqualTo("/x?d=Wed%2C%2028%20May%202025%2011%3A41%3A12%20GMT");
    }
}
