package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain scalars typed the way go-yaml v3 types them (resolve.go: the resolve table, strconv.ParseInt(s, 0, 64) on the
 * value without '_', yamlStyleFloat, and its four timestamp layouts; decode_test.go's timestamp cases), because sops
 * hashes the typed value into the MAC: a value typed differently is a MAC mismatch on a genuine document.
 */
class YamlScalarsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "~", "null", "Null", "NULL"})
    void nulls(String s) {
        assertThat(YamlScalars.resolvePlain(s)).isNull();
    }

    @Test
    void boolsAreYaml12Only() {
        assertThat(YamlScalars.resolvePlain("true")).isEqualTo(true);
        assertThat(YamlScalars.resolvePlain("True")).isEqualTo(true);
        assertThat(YamlScalars.resolvePlain("TRUE")).isEqualTo(true);
        assertThat(YamlScalars.resolvePlain("false")).isEqualTo(false);
        assertThat(YamlScalars.resolvePlain("False")).isEqualTo(false);
        assertThat(YamlScalars.resolvePlain("FALSE")).isEqualTo(false);
        for (String s : new String[] {"yes", "no", "on", "off", "tRUE", "y", "n"}) {
            assertThat(YamlScalars.resolvePlain(s)).isEqualTo(s);
        }
    }

    @Test
    void infinitiesAndNan() {
        for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            assertThat(YamlScalars.resolvePlain(s)).isEqualTo(Double.POSITIVE_INFINITY);
        }
        for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
            assertThat(YamlScalars.resolvePlain(s)).isEqualTo(Double.NEGATIVE_INFINITY);
        }
        for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
            assertThat((Double) YamlScalars.resolvePlain(s)).isNaN();
        }
        assertThat(YamlScalars.resolvePlain(".INf")).isEqualTo(".INf");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "0, 0", "7, 7", "-7, -7", "+7, 7", "1_000, 1000", "-1_0, -10", "0x1F, 31", "0X1f, 31", "-0x1F, -31", "+0x_1F, 31",
            "0o17, 15", "0O17, 15", "-0o17, -15", "017, 15", "-017, -15", "00, 0", "0b101, 5", "0B101, 5", "-0b101, -5",
            "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808"})
    void integers(String s, long value) {
        assertThat(YamlScalars.resolvePlain(s)).isEqualTo(value);
        assertThat(YamlScalars.parseInt(s)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x", "0b", "0o", "-", "+", "0b2", "0o8", "0xG", "1a", "12:30", "0x1F.5", "--1", "+-1", "1 2"})
    void notIntegers(String s) {
        assertThat(YamlScalars.parseInt(s)).isNull();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"1.5, 1.5", "-1.5, -1.5", "+1.5, 1.5", ".5, 0.5", "-.5, -0.5", "1., 1.0", "1e3, 1000.0", "1E-2, 0.01",
            "6.02e+23, 6.02e23", "1_000.5, 1000.5", "1_0e1, 100.0",
            // a leading zero that is no octal number is read as a float, as Go's ParseInt refuses it
            "09, 9.0", "-08.5, -8.5",
            // beyond int64 (go-yaml would make it a uint64; as a float it still hashes the same digits' magnitude)
            "9223372036854775808, 9.223372036854775808E18"})
    void floats(String s, double value) {
        assertThat(YamlScalars.resolvePlain(s)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e", "e1", "1.2.3", "-", "+", ".", "..5", "1e1.5", "12:30", "1-2", "١٢", "٣", "１２", "0x", "abc", "-abc",
            "+abc", ".abc", "2001-02-30", "2001-13-01", "2001-12-14T21:59:43", "2001-12-14t21:59:43.10", "2001-12-14 21:59:43.10 -5",
            "2001-12-14 21:59:43Z", "2001-12-14\t21:59:43", "2001-12-14T21:59:43+0500", "2001-12-14T21:59:43 Z",
            "2001-12-14T24:00:00Z", "2001-12-14T21:60:00Z", "2001-12-14T21:59:60Z", "201-12-14", "02001-12-14", "2001-123-1",
            "2001-12-14T21:59Z", "2001-12-14 "})
    void strings(String s) {
        assertThat(YamlScalars.resolvePlain(s)).isEqualTo(s);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "2015-01-01, 2015-01-01T00:00Z",
            "2015-1-2, 2015-01-02T00:00Z",
            "2015-02-24T18:19:39Z, 2015-02-24T18:19:39Z",
            "2015-02-24T18:19:39.12Z, 2015-02-24T18:19:39.120Z",
            "2015-2-3T3:4:5Z, 2015-02-03T03:04:05Z",
            "2015-02-24t18:19:39Z, 2015-02-24T18:19:39Z",
            "2015-02-24 18:19:39, 2015-02-24T18:19:39Z",
            "2015-02-24   18:19:39.5, 2015-02-24T18:19:39.500Z",
            "2001-12-14T21:59:43.10-05:00, 2001-12-14T21:59:43.100-05:00",
            "2001-12-14T21:59:43+01:30, 2001-12-14T21:59:43+01:30",
            "'2001-12-14T21:59:43,25Z', 2001-12-14T21:59:43.250Z",
            "2001-12-14T21:59:43.1234567891234Z, 2001-12-14T21:59:43.123456789Z"})
    void timestamps(String s, String instant) {
        Object value = YamlScalars.resolvePlain(s);
        assertThat(value).isInstanceOf(SopsTime.class);
        assertThat(((SopsTime) value).value()).isEqualTo(OffsetDateTime.parse(instant));
    }

    @Test
    void timestampsPrintAsGoDoes() {
        assertThat(YamlScalars.resolvePlain("2001-12-14T21:59:43.10-05:00")).hasToString("2001-12-14T21:59:43.1-05:00");
        assertThat(YamlScalars.resolvePlain("2015-01-01")).hasToString("2015-01-01T00:00:00Z");
        assertThat(YamlScalars.resolvePlain("2015-02-24 18:19:39.000000001")).hasToString("2015-02-24T18:19:39.000000001Z");
    }

    @Test
    void otherFirstCharactersAreAlwaysStrings() {
        for (String s : new String[] {"a1", " 1", "x0x1F", "_1", "!1", "'1'"}) {
            assertThat(YamlScalars.resolvePlain(s)).isEqualTo(s);
        }
    }
}
