package dev.vigil.sops;

import java.util.Locale;

/** The five Sops stores. */
public enum SopsFormat {
    YAML, JSON, DOTENV, INI, BINARY;

    /** As sops does: by extension, anything unknown is binary. */
    public static SopsFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return YAML;
        }
        if (n.endsWith(".bin.json")) {
            return BINARY;
        }
        if (n.endsWith(".json")) {
            return JSON;
        }
        if (n.endsWith(".env")) {
            return DOTENV;
        }
        if (n.endsWith(".ini")) {
            return INI;
        }
        return BINARY;
    }

    /** Parses "yaml", "json", "dotenv", "ini" or "binary". */
    public static SopsFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("env")) {
            return DOTENV;
        }
        if (n.equals("yml")) {
            return YAML;
        }
        try {
            return valueOf(n.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "' (yaml, json, dotenv, ini, binary)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
