package dev.vigil.cli;

/**
 * One option of a command, declared once: {@link Args} parses by it and {@link Help} prints it.
 * {@code value} names the option's argument ({@code null} for a flag); a repeatable option may be
 * given several times and every value is kept.
 */
public record Option(String name, String value, boolean repeatable, String help) {

    public static Option flag(String name, String help) {
        return new Option(name, null, false, help);
    }

    public static Option valued(String name, String value, String help) {
        return new Option(name, value, false, help);
    }

    public static Option repeatable(String name, String value, String help) {
        return new Option(name, value, true, help);
    }

    public boolean takesValue() {
        return value != null;
    }

    /** "--key FILE", as the help's left column shows it. */
    String label() {
        return value == null ? name : name + " " + value;
    }
}
