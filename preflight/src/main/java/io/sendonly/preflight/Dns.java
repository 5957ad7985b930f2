package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.List;

/** The DNS questions the checks ask. An empty answer means no such name, or no record of that type. */
public interface Dns {
    /** The TXT records of {@code name}, each one's strings joined. */
    List<String> txt(String name) throws DnsFailure;

    /** The A and AAAA records of {@code name}. */
    List<InetAddress> addresses(String name) throws DnsFailure;

    /** The PTR names of {@code address}, without the final dot. */
    List<String> names(InetAddress address) throws DnsFailure;

    /** No answer (timeout, SERVFAIL): the check cannot tell, which is not the same as a missing record. */
    final class DnsFailure extends Exception {
        public DnsFailure(String message) {
            super(message);
        }
    }
}
