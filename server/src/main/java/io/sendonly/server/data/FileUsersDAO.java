package io.sendonly.server.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.user.api.InvalidUsernameException;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.lib.UsersDAO;
import org.apache.james.user.lib.model.Algorithm;
import org.apache.james.user.lib.model.DefaultUser;

import com.google.common.collect.ImmutableList;

import io.sendonly.config.Fields;
import io.sendonly.config.TableFile;
import io.sendonly.config.WatchedFile;

/**
 * SMTP submission credentials in one file, a line per user: {@code name<TAB>algorithm<TAB>hash}, where the hash's
 * line breaks (James's MIME Base64 of the PBKDF2 digest) are written as {@code \r} and {@code \n}. Passwords are only
 * ever stored hashed (PBKDF2 by default). A name is one word without control characters or {@code #}: another is
 * refused when added, and stops start-up when found in the file. Every change is read as at start-up, then rewrites
 * the file atomically (temp file, fsync, rename), mode 0600, so a crash leaves either the old or the new set of users.
 * The file is the one source of truth, for nodes that share it too (docs/scale-out.md): lookups read it again when it
 * changed ({@link WatchedFile}), and a change starts from the file as it is, not from what this node read last.
 */
public class FileUsersDAO implements UsersDAO {
    private static final String SEPARATOR = "\t";
    private static final String USERNAME = "username";

    private final Path file;
    private final Algorithm algorithm;
    private final WatchedFile<Map<Username, DefaultUser>> users;

    public FileUsersDAO(Path file, Algorithm algorithm) {
        this.file = file;
        this.algorithm = algorithm;
        try {
            this.users = WatchedFile.load("SMTP users", List.of(file), this::read);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read users file " + file, e);
        }
    }

    private Map<Username, DefaultUser> read() throws IOException {
        return parse(TableFile.read(file), file.toString(), algorithm);
    }

    /** The users as the file says now, for a change to start from. */
    private Map<Username, DefaultUser> current() throws UsersRepositoryException {
        try {
            return read();
        } catch (IOException | IllegalArgumentException e) {
            throw new UsersRepositoryException("Cannot read users file " + file + ": " + e.getMessage());
        }
    }

    /** What the server reads at start-up, and what every change is read by before it is written. */
    static Map<Username, DefaultUser> parse(List<String> lines, String source, Algorithm preferred) {
        Map<Username, DefaultUser> parsed = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(SEPARATOR, -1);
            try {
                if (fields.length != 3) {
                    throw new IllegalArgumentException("expected name, algorithm and hash separated by tabs");
                }
                Username name = Username.of(checkName(fields[0]));
                parsed.put(name, new DefaultUser(name, unescape(fields[2]), Algorithm.of(fields[1]), preferred));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    /** One word the file can hold: no tab, line break or other control character (James limits the length). */
    private static String checkName(String name) {
        return Fields.word(USERNAME, name);
    }

    @Override
    public Optional<? extends User> getUserByName(Username name) {
        return Optional.ofNullable(users.get().get(name));
    }

    @Override
    public synchronized void updateUser(User user) throws UsersRepositoryException {
        Map<Username, DefaultUser> changed = current();
        if (!changed.containsKey(user.getUserName())) {
            throw new UsersRepositoryException("Please provide an existing user to update");
        }
        changed.put(user.getUserName(), (DefaultUser) user);
        persist(changed);
    }

    @Override
    public synchronized void removeUser(Username name) throws UsersRepositoryException {
        Map<Username, DefaultUser> changed = current();
        if (changed.remove(name) == null) {
            throw new UsersRepositoryException("unable to remove unknown user " + name.asString());
        }
        persist(changed);
    }

    @Override
    public boolean contains(Username name) {
        return users.get().containsKey(name);
    }

    @Override
    public int countUsers() {
        return users.get().size();
    }

    @Override
    public Iterator<Username> list() {
        return ImmutableList.copyOf(users.get().keySet()).iterator();
    }

    @Override
    public synchronized void addUser(Username username, String password) throws UsersRepositoryException {
        try {
            checkName(username.asString());
        } catch (IllegalArgumentException e) {
            throw new InvalidUsernameException(e.getMessage());
        }
        DefaultUser user = new DefaultUser(username, algorithm, algorithm);
        user.setPassword(password);
        Map<Username, DefaultUser> changed = current();
        changed.put(username, user);
        persist(changed);
    }

    private static String escape(String hash) {
        return hash.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String unescape(String hash) {
        return hash.replace("\\r", "\r").replace("\\n", "\n");
    }

    private void persist(Map<Username, DefaultUser> users) throws UsersRepositoryException {
        List<String> lines = new ArrayList<>();
        users.values().forEach(user -> lines.add(String.join(SEPARATOR,
            user.getUserName().asString(), user.getHashAlgorithm().asString(), escape(user.getHashedPassword()))));
        try {
            parse(lines, file.toString(), algorithm);
            TableFile.write(file, lines);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsersRepositoryException("Cannot write users file " + file + ": " + e.getMessage());
        }
    }
}
