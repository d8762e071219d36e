import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Writes a workers-like Parquet of N random rows with DuckDB (a stand-in; the real seeded generator lives elsewhere). */
public class GenWorkers {
    public static void main(String[] args) throws Exception {
        String out = args[0];
        long n = Long.parseLong(args.length > 1 ? args[1] : "500000");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.execute("COPY (SELECT 'W-' || lpad(range::VARCHAR, 7, '0') AS worker_id, "
                    + "'Worker ' || range AS name, "
                    + "['welder','driver','picker','loader','forklift_operator','electrician','cook','cleaner'][1 + (random() * 8)::INT % 8] AS role, "
                    + "['welder','driver','picker'][1:(random() * 3)::INT] AS other_roles, "
                    + "['Austin','Dallas','Houston','Denver','Phoenix','Reno'][1 + (random() * 6)::INT % 6] AS city, "
                    + "['TX','TX','TX','CO','AZ','NV'][1 + (random() * 6)::INT % 6] AS state, "
                    + "'555-' || lpad(((random() * 9999)::INT)::VARCHAR, 4, '0') AS phone, "
                    + "'w' || range || '@example.com' AS email, "
                    + "['osha10','forklift','cdl'][1:(random() * 3)::INT] AS certifications, "
                    + "round(15 + random() * 30, 2) AS pay_rate, "
                    + "(random() * 40)::INT AS availability, "
                    + "round(random(), 3) AS reliability "
                    + "FROM range(" + n + ")) TO '" + out.replace("'", "''") + "' (FORMAT parquet, COMPRESSION zstd)");
            if (args.length > 2) {
                // the same rows as CSV (lists flattened to text) for the CSV ingest measurement
                s.execute("COPY (SELECT * REPLACE (array_to_string(other_roles, ';') AS other_roles, "
                        + "array_to_string(certifications, ';') AS certifications) FROM read_parquet('"
                        + out.replace("'", "''") + "')) TO '" + args[2].replace("'", "''") + "' (FORMAT csv, HEADER)");
            }
        }
    }
}
