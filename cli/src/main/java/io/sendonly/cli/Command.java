package io.sendonly.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One command line of {@code bin/sendonly}: words ({@code keys new example.com s2026}) and options
 * ({@code --bits=1024}, {@code --dns}) anywhere among them; {@code --} ends the options.
 */
record Command(List<String> args, List<String> words, Map<String, String> options) {
    static Command parse(List<String> args) throws CliException {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                words.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
                if (name.isEmpty() || options.put(name, equals < 0 ? "" : arg.substring(equals + 1)) != null) {
                    throw new CliException(CliException.EX_USAGE, "option '" + arg + "' is empty or given twice");
                }
            } else {
                words.add(arg);
            }
        }
        return new Command(List.copyOf(args), List.copyOf(words), Map.copyOf(options));
    }

    /**
     * The arguments as given from the {@code index}-th word on, options included: a route's hop is a nullmailer
     * line with options of its own ({@code smtp.example.org smtp --port=587}).
     */
    List<String> rawFrom(int index) {
        int seen = 0;
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).startsWith("--") && seen++ == index) {
                return args.subList(i, args.size());
            }
        }
        return List.of();
    }

    /** The verb: what follows the resource, e.g. {@code list} in {@code keys list}; empty when none. */
    String verb() {
        return words.size() > 1 ? words.get(1) : "";
    }

    /**
     * The operands after the verb, exactly as many as named, or a usage error naming what is missing or extra.
     * @param names the operands, e.g. {@code DOMAIN}, {@code SELECTOR}
     */
    List<String> operands(String... names) throws CliException {
        return operands(names.length, names);
    }

    /** Like {@link #operands(String...)}, with the last {@code names.length - required} operands optional. */
    List<String> operands(int required, String... names) throws CliException {
        List<String> operands = words.subList(Math.min(2, words.size()), words.size());
        if (operands.size() < required) {
            throw new CliException(CliException.EX_USAGE, String.join(" ", words) + ": missing " + names[operands.size()]);
        }
        if (operands.size() > names.length) {
            throw new CliException(CliException.EX_USAGE, String.join(" ", words) + ": unexpected '" + operands.get(names.length) + "'");
        }
        return operands;
    }

    /** The operands after the verb, at least one. */
    List<String> atLeastOne(String name) throws CliException {
        List<String> operands = words.subList(Math.min(2, words.size()), words.size());
        if (operands.isEmpty()) {
            throw new CliException(CliException.EX_USAGE, String.join(" ", words) + ": missing " + name);
        }
        return operands;
    }

    /** Refuses options this verb does not know. */
    Command allowing(String... known) throws CliException {
        Set<String> allowed = Set.of(known);
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                throw new CliException(CliException.EX_USAGE, String.join(" ", words) + ": unknown option --" + name);
            }
        }
        return this;
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }
}
