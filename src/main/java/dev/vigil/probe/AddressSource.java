package dev.vigil.probe;

/**
 * Where a probe's address came from, as plain data carried with the target.
 *
 * @param origin who named the address
 * @param trusted whether whoever started the probe may reach private addresses it names: a baseline in a trusted
 *     namespace, the command line's user; redirects keep the trust of the probe they happen in
 */
public record AddressSource(AddressOrigin origin, boolean trusted) {

    /** The command line: the user names the host and it is probed, whatever it is. */
    public static final AddressSource USER = new AddressSource(AddressOrigin.NAMED_BY_USER, true);

    /** The source of a redirect hop to another host during a probe started from this source. */
    public AddressSource redirected() {
        return new AddressSource(AddressOrigin.REDIRECT, trusted);
    }
}
