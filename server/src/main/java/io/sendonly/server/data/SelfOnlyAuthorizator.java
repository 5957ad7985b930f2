package io.sendonly.server.data;

import org.apache.james.core.Username;
import org.apache.james.mailbox.Authorizator;

/** There are no mailboxes to delegate: an authenticated user may act as itself only (SASL authzid = authcid). */
public class SelfOnlyAuthorizator implements Authorizator {
    @Override
    public AuthorizationState canLoginAsOtherUser(Username userId, Username otherUserId) {
        return userId.equals(otherUserId) ? AuthorizationState.ALLOWED : AuthorizationState.FORBIDDEN;
    }
}
