package io.sendonly.server.tlsrpt;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/** Starts TLS-RPT's schedule (conf/events.xml {@code <tlsrpt>}) once the server is put together. */
public class TlsReportModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(TlsReportSchedule.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation startTlsReports(TlsReportSchedule schedule) {
        return InitilizationOperationBuilder
            .forClass(TlsReportSchedule.class)
            .init(schedule::start);
    }
}
