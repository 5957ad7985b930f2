package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sender-authentication preflight of our sending domains: SPF, DKIM, DMARC and alignment, reverse DNS and HELO,
 * MTA-STS and TLS-RPT records; each check answers with a sentence and, where publishing helps, the record.
 */
public final class Preflight {
    private final Dns dns;
    private final SpfEvaluator spf;
    private final Optional<InetAddress> egressAddress;
    private final String heloName;

    /**
     * @param egressAddress the address this host's mail leaves from, when known
     * @param heloName the name delivery greets receivers with
     */
    public Preflight(Dns dns, SpfEvaluator spf, Optional<InetAddress> egressAddress, String heloName) {
        this.dns = dns;
        this.spf = spf;
        this.egressAddress = egressAddress;
        this.heloName = heloName;
    }

    public Report run(List<SendingDomain> domains) {
        List<DomainReport> reports = domains.stream().map(this::check).toList();
        return new Report(reports, Checklist.of(reports));
    }

    public DomainReport check(SendingDomain domain) {
        SendingAddresses from = SendingAddresses.of(domain, egressAddress, dns);
        List<Check> checks = new ArrayList<>();
        Check spfCheck = SpfCheck.check(domain.domain(), from, heloName, spf, dns);
        Check dkimCheck = DkimCheck.check(domain, dns);
        DmarcCheck.Dmarc dmarc = DmarcCheck.lookup(domain.domain(), dns);
        checks.add(spfCheck);
        checks.add(dkimCheck);
        checks.add(dmarc.check());
        checks.add(AlignmentCheck.check(domain, dmarc, dkimCheck.status(), spfCheck.status()));
        // A HELO name without a dot (localhost) is no name to ask a PTR for.
        String ptrName = heloName.contains(".") ? heloName : "mail." + domain.domain();
        ReverseDnsCheck.Result reverse = ReverseDnsCheck.ptr(from, ptrName, dns);
        checks.add(reverse.ptr());
        checks.add(ReverseDnsCheck.helo(from, heloName, reverse.confirmed(), dns));
        checks.add(TransportPolicyCheck.mtaSts(domain.domain(), dns));
        checks.add(TransportPolicyCheck.tlsRpt(domain.domain(), dns));
        return new DomainReport(domain.domain(), checks);
    }
}
