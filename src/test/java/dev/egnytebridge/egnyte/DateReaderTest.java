package dev.egnytebridge.egnyte;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DateReaderTest {

    private static final Instant EXPECTED = Instant.parse("2025-05-28T11:41:12Z");
    private static final TextNode EGNYTE_TIMESTAMP = TextNode.valueOf("2025-05-28T11:41:12.000Z");

    @Test
    void readsTheSeedsUpdatedDateFormat() {
        DatePattern updated = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX", "GMT");

        assertThat(DateReader.read(EGNYTE_TIMESTAMP, updated)).isEqualTo(EXPECTED);
    }

    @Test
    void readsTheSeedsCreatedDateFormatWithItsStrayQuote() {
        DatePattern created = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX'", "GMT");

        assertThat(DateReader.read(EGNYTE_TIMESTAMP, created)).isEqualTo(EXPECTED);
    }

    @Test
    void usesThePatternsZoneWhenTheValueHasNoOffset() {
        DatePattern berlin = DatePattern.compile("yyyy-MM-dd HH:mm:ss", "Europe/Berlin");
        DatePattern noZone = DatePattern.compile("yyyy-MM-dd HH:mm:ss", null);

        assertThat(DateReader.read(TextNode.valueOf("2025-05-28 13:41:12"), berlin)).isEqualTo(EXPECTED);
        assertThat(DateReader.read(TextNode.valueOf("2025-05-28 11:41:12"), noZone)).isEqualTo(EXPECTED);
    }

    @Test
    void readsADateOnlyPatternAsTheStartOfTheDay() {
        DatePattern day = DatePattern.compile("yyyy-MM-dd", "GMT");

        assertThat(DateReader.read(TextNode.valueOf("2025-05-28"), day)).isEqualTo(Instant.parse("2025-05-28T00:00:00Z"));
    }

    @Test
    void readsRfc1123DatesOfEgnyteFolderListings() {
        DatePattern rfc1123 = DatePattern.compile("EEE, dd MMM yyyy HH:mm:ss zzz", "GMT");

        assertThat(DateReader.read(TextNode.valueOf("Wed, 28 May 2025 11:41:12 GMT"), rfc1123)).isEqualTo(EXPECTED);
    }

    @Test
    void readsEpochMillisecondsAndSecondsAsNumbersOrText() {
        DatePattern millis = DatePattern.compile("milliseconds", null);
        DatePattern seconds = DatePattern.compile("seconds", null);
        JsonNodeFactory f = JsonNodeFactory.instance;

        assertThat(DateReader.read(f.numberNode(EXPECTED.toEpochMilli()), millis)).isEqualTo(EXPECTED);
        assertThat(DateReader.read(f.textNode(Long.toString(EXPECTED.toEpochMilli())), millis)).isEqualTo(EXPECTED);
        assertThat(DateReader.read(f.numberNode(EXPECTED.getEpochSecond()), seconds)).isEqualTo(EXPECTED);
        assertThat(DateReader.read(f.textNode(EXPECTED.getEpochSecond() + ".5"), seconds))
                .isEqualTo(EXPECTED.plusMillis(500));
    }

    @Test
    void returnsNullForAbsentOrUnreadableValues() {
        DatePattern iso = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX", "GMT");
        DatePattern millis = DatePattern.compile("milliseconds", null);

        assertThat(DateReader.read((com.fasterxml.jackson.databind.JsonNode) null, iso)).isNull();
        assertThat(DateReader.read(NullNode.getInstance(), iso)).isNull();
        assertThat(DateReader.read(TextNode.valueOf(""), iso)).isNull();
        assertThat(DateReader.read(TextNode.valueOf("yesterday"), iso)).isNull();
        assertThat(DateReader.read(TextNode.valueOf("12abc"), millis)).isNull();
        assertThat(DateReader.read(JsonNodeFactory.instance.objectNode(), iso)).isNull();
        assertThat(DateReader.read(EGNYTE_TIMESTAMP, null)).isNull();
    }

    @Test
    void fallsBackToIsoWhenOnlyTheFractionDiffers() {
        DatePattern withMillis = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX", "GMT");

        assertThat(DateReader.read(TextNode.valueOf("2025-05-28T11:41:12Z"), withMillis)).isEqualTo(EXPECTED);
    }

    @Test
    void writesIsoUtcKeepingMillisecondsOnlyWhenNotZero() {
        assertThat(DateReader.iso(EXPECTED)).isEqualTo("2025-05-28T11:41:12Z");
        assertThat(DateReader.iso(EXPECTED.plusMillis(250))).isEqualTo("2025-05-28T11:41:12.250Z");
        assertThat(DateReader.iso(EXPECTED.plusNanos(250_123_456))).isEqualTo("2025-05-28T11:41:12.250Z");
        assertThat(DateReader.iso(EXPECTED.plusNanos(999))).isEqualTo("2025-05-28T11:41:12Z");
        assertThat(DateReader.iso(null)).isNull();
    }
}
