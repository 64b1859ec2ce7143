package io.sluice.fault.workload;

/** The one way a written value is compared: as the string the producer sent. */
public final class Values {
    private Values() {
    }

    /** A value as a JSON reader returns it (the producer sent a JSON string). */
    public static String of(Object jsonValue) {
        return jsonValue instanceof String s ? s : String.valueOf(jsonValue);
    }

    /** A value as stored in the log: the JSON text of the string, quotes included. */
    public static String fromStored(String bytes) {
        if (bytes != null && bytes.length() >= 2 && bytes.startsWith("\"") && bytes.endsWith("\"")) {
            return bytes.substring(1, bytes.length() - 1);
        }
        return bytes;
    }
}
