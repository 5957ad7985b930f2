package io.sendonly.preflight;

import java.net.InetAddress;
import java.util.Locale;

import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.executor.SynchronousSPFExecutor;
import org.apache.james.jspf.impl.DNSServiceXBillImpl;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.wiring.WiringServiceTable;
import org.xbill.DNS.Resolver;

/**
 * SPF by Apache jSPF, as James's SPF mailet wires it, with its synchronous executor: the asynchronous one looks
 * names up through dnsjava's default resolver, not the one given.
 */
public final class JspfEvaluator implements SpfEvaluator {
    private final SPF spf;

    public JspfEvaluator(Resolver resolver) {
        DNSServiceXBillImpl dns = new DNSServiceXBillImpl(resolver);
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, dns);
        MacroExpand macroExpand = new MacroExpand(dns);
        wiring.put(MacroExpandEnabled.class, macroExpand);
        RFC4408SPF1Parser parser = new RFC4408SPF1Parser(new DefaultTermsFactory(wiring));
        this.spf = new SPF(dns, parser, macroExpand, new SynchronousSPFExecutor(dns));
        wiring.put(SPFCheckEnabled.class, spf);
    }

    @Override
    public String evaluate(InetAddress address, String domain, String heloName) {
        return spf.checkSPF(address.getHostAddress(), "postmaster@" + domain, heloName).getResult().toLowerCase(Locale.ROOT);
    }
}
