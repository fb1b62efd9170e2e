package dev.vigil.sops;

/**
 * Text that allows only so many character reads: java.util.regex has no timeout, so a pathological
 * expression from a hostile document is stopped by counting the work the matcher does.
 */
final class BoundedText implements CharSequence {

    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final int[] budget;

    BoundedText(String text, int reads) {
        this(text, new int[] {reads});
    }

    private BoundedText(String text, int[] budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        if (--budget[0] < 0) {
            throw new Exhausted();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
        return text;
    }
}
