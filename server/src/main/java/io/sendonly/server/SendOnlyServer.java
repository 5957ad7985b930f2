package io.sendonly.server;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.ExtraProperties;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.lifecycle.api.ConfigurationSanitizer;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.MailetContainerModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.util.Modules;

import io.sendonly.server.accept.DualStackSMTPServerFactory;
import io.sendonly.server.data.SendOnlyDataModule;
import io.sendonly.server.events.EventLogModule;
import io.sendonly.server.files.PrivateFilesCheck;
import io.sendonly.server.pickup.MaildropPickupModule;
import io.sendonly.server.preflight.PreflightModule;
import io.sendonly.server.queue.DurableQueueModule;
import io.sendonly.server.tls.SelfSignedKeystore;
import io.sendonly.server.tlsrpt.TlsReportModule;
import io.sendonly.server.webadmin.WebAdminAccessModule;
import io.sendonly.server.webhooks.WebhooksModule;

/**
 * The send-only James server: SMTP in, mailet pipeline, durable queue, SMTP out, webadmin. No IMAP, POP3, JMAP,
 * LMTP, mailboxes nor JMX port.
 */
public final class SendOnlyServer {
    public static final Module SEND_ONLY = Modules.combine(
        new MailetProcessingModule(),
        new ProtocolHandlerModule(),
        Modules.override(new SMTPServerModule()).with(binder -> binder.bind(SMTPServerFactory.class)
            .to(DualStackSMTPServerFactory.class).in(Scopes.SINGLETON)),
        new RawPostDequeueDecoratorModule(),
        new TaskManagerModule(),
        new SendOnlyDataModule(),
        new DurableQueueModule(),
        binder -> {
            Multibinder<ConfigurationSanitizer> sanitizers = Multibinder.newSetBinder(binder, ConfigurationSanitizer.class);
            sanitizers.addBinding().to(PrivateFilesCheck.class);
            sanitizers.addBinding().to(SelfSignedKeystore.class);
        },
        new MaildropPickupModule(),
        new PreflightModule(),
        new EventLogModule(),
        new WebhooksModule(),
        new TlsReportModule(),
        binder -> binder.bind(MailetContainerModule.DefaultProcessorsConfigurationSupplier.class)
            .toInstance(BaseHierarchicalConfiguration::new));

    public static final Module WEBADMIN = Modules.combine(
        Modules.override(new WebAdminServerModule()).with(new WebAdminAccessModule()),
        new DataRoutesModules(),
        new MailQueueRoutesModule(),
        new MailRepositoriesRoutesModule(),
        new NoJwtModule());

    private SendOnlyServer() {
    }

    public static GuiceJamesServer create(Configuration configuration) {
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(SEND_ONLY, WEBADMIN);
    }

    public static void main(String[] args) throws Exception {
        ExtraProperties.initialize();
        Configuration configuration = Configuration.builder()
            .useWorkingDirectoryEnvProperty()
            .build();
        JamesServerMain.main(create(configuration));
    }
}
