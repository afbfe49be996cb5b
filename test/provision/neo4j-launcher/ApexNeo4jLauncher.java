import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j 5 Community EMBEDDED (jars from Maven Central) with the Bolt
 * connector, for apex's native test servers and the apex-local/neo4j image.
 *
 * Arguments (each may also come from the environment):
 *   --home DIR        NEO4J_HOME / APEX_NEO4J_HOME  (default /var/tmp/apex-servers/neo4j)
 *   --data DIR        NEO4J_DATA / APEX_NEO4J_DATA  (default HOME/data)
 *   --logs DIR        NEO4J_LOGS                    (default HOME/logs)
 *   --bolt HOST:PORT  APEX_NEO4J_BOLT               (default 127.0.0.1:7687)
 *   --advertised HOST APEX_NEO4J_ADVERTISED         (default localhost)
 *   --plugins DIR     APEX_NEO4J_PLUGINS            (default HOME/plugins) the jars of
 *                     procedures to load, e.g. APOC core and its dependencies;
 *                     they must be on the class path too (java -cp
 *                     launcher.jar:DIR/* ApexNeo4jLauncher), where Neo4j
 *                     finds the extensions they bring
 *   --http HOST:PORT  APEX_NEO4J_HTTP               (default none) serves only
 *                     Neo4j's discovery document on GET / (no Browser, no HTTP API)
 *   --train FILE      training run for a class data sharing archive (see
 *                     test/images/build-images.sh): once ready, runs the Cypher
 *                     statements of FILE (';'-separated, '//' comments) on the
 *                     default database, then shuts down
 * NEO4J_AUTH=neo4j/PASSWORD enables auth and sets that password for user
 * neo4j on every start (ALTER USER ... CHANGE NOT REQUIRED on the system
 * database); NEO4J_AUTH=none (or unset) disables auth.
 * Other NEO4J_xxx variables are translated the way the official image does
 * (NEO4J_server_memory_pagecache_size -> server.memory.pagecache.size,
 * "__" -> "_") and loaded as settings (unknown ones are ignored).
 * Stops cleanly on SIGTERM/SIGINT.
 */
public final class ApexNeo4jLauncher {
    private static void log(String msg) {
        System.out.println(Instant.now() + " apex-neo4j: " + msg);
        System.out.flush();
    }

    private static String opt(String[] args, String name, String env1, String env2, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
            if (args[i].startsWith(name + "=")) return args[i].substring(name.length() + 1);
        }
        for (String a : args) if (a.startsWith(name + "=")) return a.substring(name.length() + 1);
        String v = env1 == null ? null : System.getenv(env1);
        if ((v == null || v.isEmpty()) && env2 != null) v = System.getenv(env2);
        return (v == null || v.isEmpty()) ? dflt : v;
    }

    private static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of(
            "NEO4J_AUTH", "NEO4J_HOME", "NEO4J_DATA", "NEO4J_LOGS", "NEO4J_PLUGINS", "NEO4J_EDITION",
            "NEO4J_ACCEPT_LICENSE_AGREEMENT", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_URI", "NEO4J_DEBUG",
            "NEO4J_TARBALL", "NEO4J_SHA256", "NEO4J_CONF", "NEO4J_PAGECACHE");

    /** Official-image style env -> neo4j.conf lines. */
    private static Path envSettingsFile(Path home) throws IOException {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("NEO4J_") || NOT_SETTINGS.contains(k) || k.startsWith("NEO4J_apex")) continue;
            String key = k.substring("NEO4J_".length()).replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
            if (!key.contains(".")) continue;
            settings.put(key, e.getValue());
        }
        List<String> lines = new ArrayList<>();
        lines.add("server.config.strict_validation.enabled=false");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            // connector/address/directory settings are owned by the launcher
            if (e.getKey().startsWith("server.bolt.") || e.getKey().startsWith("server.directories.")
                    || e.getKey().equals("dbms.security.auth_enabled")) {
                continue;
            }
            lines.add(e.getKey() + "=" + e.getValue());
        }
        Path conf = home.resolve("conf").resolve("apex-env.conf");
        Files.createDirectories(conf.getParent());
        Files.write(conf, lines, StandardCharsets.UTF_8);
        if (lines.size() > 1) log("settings from environment: " + lines.subList(1, lines.size()));
        return conf;
    }

    private static void writeInitialPassword(Path home, Path data, String password) throws Exception {
        org.neo4j.configuration.Config cfg = org.neo4j.configuration.Config.newBuilder()
                .set(GraphDatabaseSettings.neo4j_home, home)
                .set(GraphDatabaseSettings.data_directory, data)
                .build();
        Path file = org.neo4j.server.security.auth.CommunitySecurityModule.getInitialUserRepositoryFile(cfg);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        org.neo4j.server.security.auth.FileUserRepository repo = new org.neo4j.server.security.auth.FileUserRepository(
                new org.neo4j.io.fs.DefaultFileSystemAbstraction(), file,
                org.neo4j.logging.NullLogProvider.getInstance(), org.neo4j.memory.EmptyMemoryTracker.INSTANCE);
        repo.start();
        org.neo4j.server.security.SystemGraphCredential credential =
                org.neo4j.server.security.SystemGraphCredential.createCredentialForPassword(
                        password.getBytes(StandardCharsets.UTF_8), new org.neo4j.server.security.SecureHasher());
        repo.create(new org.neo4j.kernel.impl.security.User("neo4j", null, credential, false, false));
        repo.shutdown();
    }

    /** data/dbms/apex-auth: salt and SHA-256 of the password last applied, to skip ALTER USER on restarts. */
    private static String passwordDigest(String salt, String password) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        byte[] d = md.digest((salt + ":" + password).getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) sb.append(String.format("%02x", b));
        return sb.toString();
    }

    private static boolean passwordMarkerMatches(Path data, String password) {
        try {
            String[] parts = Files.readString(data.resolve("dbms").resolve("apex-auth")).trim().split(":", 2);
            return parts.length == 2 && parts[1].equals(passwordDigest(parts[0], password));
        } catch (Exception e) {
            return false;
        }
    }

    private static void writePasswordMarker(Path data, String password) throws Exception {
        String salt = Long.toHexString(new java.security.SecureRandom().nextLong());
        Path marker = data.resolve("dbms").resolve("apex-auth");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, salt + ":" + passwordDigest(salt, password) + "\n");
    }

    /** GET / answers like Neo4j's HTTP connector discovery document, so port probes see Neo4j. */
    private static void startDiscovery(String listen, String advertised, int boltPort) throws IOException {
        int c = listen.lastIndexOf(':');
        String host = c < 0 ? "0.0.0.0" : listen.substring(0, c);
        int port = Integer.parseInt(c < 0 ? listen : listen.substring(c + 1));
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(host, port), 16);
        server.createContext("/", exchange -> {
            String hostHeader = exchange.getRequestHeaders().getFirst("Host");
            String h = hostHeader == null ? advertised : hostHeader.replaceAll(":\\d+$", "");
            boolean root = exchange.getRequestURI().getPath().equals("/");
            String body = root
                    ? "{\"bolt_routing\":\"neo4j://" + h + ":" + boltPort + "\","
                        + "\"bolt_direct\":\"bolt://" + h + ":" + boltPort + "\","
                        + "\"neo4j_version\":\"" + org.neo4j.kernel.internal.Version.getNeo4jVersion() + "\","
                        + "\"neo4j_edition\":\"community\","
                        + "\"apex_note\":\"embedded launcher: discovery only, no HTTP API\"}"
                    : "{\"errors\":[{\"code\":\"Neo.ClientError.Request.Invalid\",\"message\":\"not served by the apex embedded launcher\"}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(root ? 200 : 404, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "apex-neo4j-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        log("discovery document on http://" + host + ":" + port + "/");
    }

    /** Runs each statement of a Cypher file, the way apex's migrations are written. */
    private static void runStatements(GraphDatabaseService db, Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.strip().startsWith("//")) text.append(line).append('\n');
        }
        int count = 0;
        for (String statement : text.toString().split(";")) {
            if (statement.isBlank()) continue;
            db.executeTransactionally(statement.strip());
            count++;
        }
        log("training: ran " + count + " statements from " + file);
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            System.err.println(Instant.now() + " apex-neo4j: FAILED: " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook, which stops the DBMS
        }
    }

    private static void run(String[] args) throws Exception {
        Path home = Path.of(opt(args, "--home", "APEX_NEO4J_HOME", "NEO4J_HOME", "/var/tmp/apex-servers/neo4j")).toAbsolutePath();
        Path data = Path.of(opt(args, "--data", "APEX_NEO4J_DATA", "NEO4J_DATA", home.resolve("data").toString())).toAbsolutePath();
        Path logs = Path.of(opt(args, "--logs", "NEO4J_LOGS", null, home.resolve("logs").toString())).toAbsolutePath();
        Path plugins = Path.of(opt(args, "--plugins", "APEX_NEO4J_PLUGINS", null, home.resolve("plugins").toString())).toAbsolutePath();
        String bolt = opt(args, "--bolt", "APEX_NEO4J_BOLT", null, "127.0.0.1:7687");
        String advertised = opt(args, "--advertised", "APEX_NEO4J_ADVERTISED", null, "localhost");
        String auth = opt(args, "--auth", "NEO4J_AUTH", null, "none");
        String http = opt(args, "--http", "APEX_NEO4J_HTTP", null, "none");
        String train = opt(args, "--train", null, null, null);

        String password = null;
        if (!auth.equalsIgnoreCase("none")) {
            int slash = auth.indexOf('/');
            if (slash < 0 || !auth.substring(0, slash).equals("neo4j")) {
                System.err.println("NEO4J_AUTH must be 'neo4j/<password>' or 'none', got user '" + (slash < 0 ? auth : auth.substring(0, slash)) + "'");
                System.exit(2);
            }
            password = auth.substring(slash + 1);
            if (password.length() < 8) {
                // the official image refuses short passwords too
                System.err.println("Invalid value for password. It needs to be at least 8 characters long.");
                System.exit(2);
            }
        }

        int colon = bolt.lastIndexOf(':');
        String boltHost = colon < 0 ? bolt : bolt.substring(0, colon);
        int boltPort = colon < 0 ? 7687 : Integer.parseInt(bolt.substring(colon + 1));

        Files.createDirectories(home);
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Path envConf = envSettingsFile(home);

        log("starting Neo4j embedded: home=" + home + " data=" + data + " plugins=" + plugins + " bolt=" + boltHost + ":" + boltPort
                + " auth=" + (password == null ? "disabled" : "enabled"));
        long t0 = System.nanoTime();
        if (password != null && !Files.exists(data.resolve("databases").resolve("system"))) {
            // First start: hand the password to the system graph's initialisation the way
            // `neo4j-admin dbms set-initial-password` does, so no ALTER USER (a slow first
            // Cypher compilation) is needed. Any failure falls back to ALTER USER below.
            try {
                writeInitialPassword(home, data, password);
                writePasswordMarker(data, password);
                log("initial password for user neo4j written (first start)");
            } catch (Throwable t) {
                log("could not write the initial password file (" + t + "); will use ALTER USER");
                Files.deleteIfExists(data.resolve("dbms").resolve("apex-auth"));
            }
        }
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(envConf);
        builder.setConfig(GraphDatabaseSettings.data_directory, data)
                .setConfig(GraphDatabaseSettings.logs_directory, logs)
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports from test servers
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(boltHost, boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(advertised, boltPort))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(advertised));
        if (System.getenv("NEO4J_server_memory_pagecache_size") == null) {
            builder.setConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024);
        }
        final DatabaseManagementService dbms = builder.build();

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("shutdown failed: " + t);
            }
            log("stopped");
            stopped.countDown();
        }, "apex-neo4j-shutdown"));

        if (password != null && !passwordMarkerMatches(data, password)) {
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            try {
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                        Map.of("pw", password));
                log("password for user neo4j set from NEO4J_AUTH");
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                if (!m.contains("Old password and new password cannot be the same")) throw e;
                // Same password as before: just make sure no change is required.
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
                log("password for user neo4j already matches NEO4J_AUTH");
            }
            writePasswordMarker(data, password);
        } else if (password != null) {
            log("password for user neo4j unchanged since the last start");
        }
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        if (!http.equalsIgnoreCase("none")) startDiscovery(http, advertised, boltPort);
        log(String.format("READY bolt://%s:%d (started in %.1fs)", boltHost, boltPort, (System.nanoTime() - t0) / 1e9));
        if (train != null) {
            runStatements(db, Path.of(train));
            System.exit(0); // the shutdown hook stops the DBMS
        }
        stopped.await();
    }
}
