package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesGoStyleDurations() {
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse(" 15m ")).contains(Duration.ofMinutes(15));
        assertThat(Durations.parse("2m30s")).contains(Duration.ofSeconds(150));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThat(Durations.parse(null)).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse("0s")).isEmpty();
        assertThat(Durations.parse("1d")).isEmpty();
        assertThat(Durations.parse("1h x")).isEmpty();
        assertThat(Durations.parse("h1")).isEmpty();
        assertThat(Durations.parse("1.5h")).isEmpty();
        assertThat(Durations.parse("9999999999h")).isEmpty();
    }

    @Test
    void formatsForPeople() {
        assertThat(Durations.format(Duration.ofMillis(731))).isEqualTo("731ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("60s");
        assertThat(Durations.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }
}
