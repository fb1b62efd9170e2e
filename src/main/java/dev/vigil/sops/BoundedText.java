package dev.vigil.sops;

/**
 * Text that allows only so many character reads: java.util.regex has no timeout, so a pathological
 * expression from a hostile document is stopped by counting the work the matcher does. The count is
 * a {@link Budget} shared by every match made for one document, so many cheap-looking matches cannot
 * add up to a long one.
 */
final class BoundedText implements CharSequence {

    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
        }
    }

    /** Character reads left for the regular expressions of one document. */
    static final class Budget {
        /**
         * Far more than the rules of a real document need (anchored rules like {@code ^(data|stringData)$} read a
         * few characters per path element: a 10,000-value document spends well under a million), and small enough
         * that a hostile expression stops within a fraction of a second.
         */
        static final long PER_DOCUMENT = 10_000_000L;

        private long remaining;

        Budget(long reads) {
            this.remaining = reads;
        }

        static Budget perDocument() {
            return new Budget(PER_DOCUMENT);
        }

        void spend() {
            if (--remaining < 0) {
                throw new Exhausted();
            }
        }
    }

    private final String text;
    private final Budget budget;

    BoundedText(String text, Budget budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        budget.spend();
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
