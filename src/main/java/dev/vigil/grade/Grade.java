package dev.vigil.grade;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/** Letter grades as the HTTP Observatory prints them; {@link #value()} is what metrics export (F=0 … A+=12). */
public enum Grade {
    @JsonProperty("F") F("F"), @JsonProperty("D-") D_MINUS("D-"), @JsonProperty("D") D("D"), @JsonProperty("D+") D_PLUS("D+"),
    @JsonProperty("C-") C_MINUS("C-"), @JsonProperty("C") C("C"), @JsonProperty("C+") C_PLUS("C+"),
    @JsonProperty("B-") B_MINUS("B-"), @JsonProperty("B") B("B"), @JsonProperty("B+") B_PLUS("B+"),
    @JsonProperty("A-") A_MINUS("A-"), @JsonProperty("A") A("A"), @JsonProperty("A+") A_PLUS("A+");

    private final String letter;

    Grade(String letter) {
        this.letter = letter;
    }

    public String letter() {
        return letter;
    }

    public int value() {
        return ordinal();
    }

    public static Optional<Grade> parse(String letter) {
        return Arrays.stream(values()).filter(g -> g.letter.equals(letter)).findFirst();
    }

    /** The HTTP Observatory's grade chart (scores are multiples of 5; above 100 is still A+). */
    public static Grade fromObservatoryScore(int score) {
        int s = Math.min(Math.max(score, 0), 100);
        s -= s % 5;
        if (s >= 100) return A_PLUS;
        if (s >= 90) return A;
        if (s >= 85) return A_MINUS;
        if (s >= 80) return B_PLUS;
        if (s >= 70) return B;
        if (s >= 65) return B_MINUS;
        if (s >= 60) return C_PLUS;
        if (s >= 50) return C;
        if (s >= 45) return C_MINUS;
        if (s >= 40) return D_PLUS;
        if (s >= 30) return D;
        if (s >= 25) return D_MINUS;
        return F;
    }

    public Grade cappedAt(Grade cap) {
        return compareTo(cap) > 0 ? cap : this;
    }

    public boolean below(Grade minimum) {
        return compareTo(minimum) < 0;
    }

    public static Grade worst(Grade a, Grade b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return letter;
    }
}
