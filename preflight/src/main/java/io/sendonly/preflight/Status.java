package io.sendonly.preflight;

import java.util.Locale;

/** A check's answer, mildest first: the worst of several is the last. */
public enum Status {
    /** Nothing asked of anyone: optional records, or facts worth knowing. */
    INFO,
    PASS,
    /** Mail goes out, but some receivers will treat it worse, or the check could not be made. */
    WARN,
    /** Receivers that apply the Gmail/Yahoo rules will refuse the mail or file it as spam. */
    FAIL;

    /** As the API and the CLI show it: {@code pass}, {@code warn}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status worst(Status a, Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
