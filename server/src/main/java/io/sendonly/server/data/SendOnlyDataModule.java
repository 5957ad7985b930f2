package io.sendonly.server.data;

import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.CoreDataModule;
import org.apache.james.UserEntityValidator;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.file.FileMailRepository;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryUrlStore;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.DelegationStore;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.lib.UsersRepositoryImpl;
import org.apache.james.user.lib.model.Algorithm;
import org.apache.james.user.memory.MemoryDelegationStore;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The data a send-only server keeps: no mailboxes; domains and address rewriting in memory (from
 * {@code domainlist.xml}, followed by {@link SharedSettings}); failed mail in file repositories; submission credentials
 * hashed in a file.
 */
public class SendOnlyDataModule extends AbstractModule {
    /** usersrepository.xml key: where the credentials file lives. */
    public static final String USERS_FILE = "usersFile";
    public static final String DEFAULT_USERS_FILE = "file://var/users/passwd";
    /** usersrepository.xml key, as in James: the password hash of new passwords. */
    public static final String ALGORITHM = "algorithm";
    public static final String DEFAULT_ALGORITHM = "PBKDF2-SHA512";

    @Override
    protected void configure() {
        install(new CoreDataModule());

        bind(MemoryDomainList.class).in(Scopes.SINGLETON);
        bind(DomainList.class).to(MemoryDomainList.class);

        bind(MemoryRecipientRewriteTable.class).in(Scopes.SINGLETON);
        bind(RecipientRewriteTable.class).to(MemoryRecipientRewriteTable.class);
        bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
        bind(CanSendFrom.class).to(CanSendFromImpl.class).in(Scopes.SINGLETON);

        bind(MemoryDelegationStore.class).in(Scopes.SINGLETON);
        bind(DelegationStore.class).to(MemoryDelegationStore.class);
        bind(Authorizator.class).to(SelfOnlyAuthorizator.class);

        bind(SharedSettings.class).in(Scopes.SINGLETON);

        bind(MailRepositoryUrlStore.class).to(MemoryMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
        // Used when mailrepositorystore.xml declares nothing: failed mail is kept on disk, never in memory.
        bind(MailRepositoryStoreConfiguration.Item.class)
            .toProvider(() -> new MailRepositoryStoreConfiguration.Item(
                ImmutableList.of(new Protocol("file")),
                FileMailRepository.class.getName(),
                new BaseHierarchicalConfiguration()));
    }

    @Provides
    @Singleton
    UsersRepository usersRepository(ConfigurationProvider configurationProvider, FileSystem fileSystem, DomainList domainList,
                                    UserEntityValidator validator) throws Exception {
        HierarchicalConfiguration<ImmutableNode> config = configurationProvider.getConfiguration("usersrepository");
        FileUsersDAO dao = new FileUsersDAO(
            fileSystem.getFile(config.getString(USERS_FILE, DEFAULT_USERS_FILE)).toPath(),
            Algorithm.of(config.getString(ALGORITHM, DEFAULT_ALGORITHM), Algorithm.HashingMode.SALTED));
        UsersRepositoryImpl<FileUsersDAO> repository = new UsersRepositoryImpl<>(domainList, dao);
        repository.setValidator(validator);
        repository.configure(config);
        return repository;
    }

    @ProvidesIntoSet
    InitializationOperation followSharedSettings(SharedSettings settings) {
        return InitilizationOperationBuilder
            .forClass(SharedSettings.class)
            .init(settings::start);
    }

    @ProvidesIntoSet
    InitializationOperation configureDomainList(DomainListConfiguration configuration, MemoryDomainList domainList) {
        return InitilizationOperationBuilder
            .forClass(MemoryDomainList.class)
            .init(() -> domainList.configure(configuration));
    }
}
