package io.sluice.bus;

import io.sluice.schema.SchemaReference;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every registry command and reply survives the trip between nodes unchanged, nulls included. */
class RegistryMessageCodecTest {

    @SuppressWarnings("unchecked")
    private static <T extends RegistryCommand> T roundTrip(T command) {
        RegistryCommandCodec<T> codec = new RegistryCommandCodec<>((Class<T>) command.getClass());
        Buffer wire = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(wire, command);
        return codec.decodeFromWire("prefix".length(), wire);
    }

    @Test
    void commandsRoundTrip() {
        List<RegistryCommand> commands = List.of(
                new RegistryCommand.Register("s-value", "AVRO", "{\"type\":\"string\"}",
                        List.of(new SchemaReference("com.example.A", "a", 2)), RegistryCommand.NONE, 4, true),
                new RegistryCommand.DeleteSubject("s", true),
                new RegistryCommand.DeleteVersion("s", -1, false),
                new RegistryCommand.SetConfig(null, "FULL"),
                new RegistryCommand.SetConfig("s", null),
                new RegistryCommand.SetMode("s", "IMPORT", true),
                new RegistryCommand.SetMode(null, null, false));
        for (RegistryCommand c : commands) {
            assertEquals(c, roundTrip(c));
        }
        assertEquals(java.util.Set.of(RegistryCommand.class.getPermittedSubclasses()),
                commands.stream().map(Object::getClass).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void repliesRoundTrip() {
        RegistryReply.Codec codec = new RegistryReply.Codec();
        for (RegistryReply r : List.of(RegistryReply.ok(java.util.Map.of("id", 3)), RegistryReply.error(40401, "Subject 's' not found."))) {
            Buffer wire = Buffer.buffer();
            codec.encodeToWire(wire, r);
            assertEquals(r, codec.decodeFromWire(0, wire));
        }
    }
}
