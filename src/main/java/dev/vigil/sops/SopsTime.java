package dev.vigil.sops;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A YAML timestamp; prints as Go's RFC 3339 with nanoseconds, trailing zeros dropped. */
record SopsTime(OffsetDateTime value) {

    @Override
    public String toString() {
        return GoFormat.rfc3339Nano(value);
    }

    static SopsTime utc(java.time.LocalDateTime t) {
        return new SopsTime(t.atOffset(ZoneOffset.UTC));
    }
}
