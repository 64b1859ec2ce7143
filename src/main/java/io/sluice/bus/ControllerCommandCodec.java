package io.sluice.bus;

import io.sluice.bus.ControllerCommand.AlterPartition;
import io.sluice.bus.ControllerCommand.AlterUserScramCredentials;
import io.sluice.bus.ControllerCommand.CreateAcls;
import io.sluice.bus.ControllerCommand.DeleteAcls;
import io.sluice.bus.ControllerCommand.DeleteUser;
import io.sluice.bus.ControllerCommand.ControlledShutdown;
import io.sluice.bus.ControllerCommand.CreatePartitions;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerCommand.DeleteTopics;
import io.sluice.bus.ControllerCommand.EnsureOffsetsTopic;
import io.sluice.bus.ControllerCommand.GetMetadata;
import io.sluice.bus.ControllerCommand.IncrementalAlterConfigs;
import io.sluice.bus.ControllerCommand.Rebalance;
import io.sluice.bus.ControllerCommand.SetVoters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The wire form of the {@link ControllerCommand}s, one instance per record type (the bus finds a
 * codec by the body's class). A command is a tag byte, then its fields; config maps are JSON,
 * since their values are a client's JSON values. A body whose tag is unknown, or is not the type
 * the codec was registered for, is refused with an {@link IllegalArgumentException}.
 */
public final class ControllerCommandCodec<T extends ControllerCommand> extends BusCodec<T> {
    private static final byte CREATE_TOPICS = 1;
    private static final byte ENSURE_OFFSETS_TOPIC = 2;
    private static final byte DELETE_TOPICS = 3;
    private static final byte CREATE_PARTITIONS = 4;
    private static final byte INCREMENTAL_ALTER_CONFIGS = 5;
    private static final byte ALTER_PARTITION = 6;
    private static final byte CONTROLLED_SHUTDOWN = 7;
    private static final byte REBALANCE = 8;
    private static final byte GET_METADATA = 9;
    private static final byte SET_VOTERS = 10;
    private static final byte ALTER_USER_SCRAM_CREDENTIALS = 11;
    private static final byte DELETE_USER = 12;
    private static final byte CREATE_ACLS = 13;
    private static final byte DELETE_ACLS = 14;
    private static final byte ENSURE_SCHEMAS_TOPIC = 15;

    private final Class<T> type;

    public ControllerCommandCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T command) {
        // (Java 17: no pattern switch; the round-trip test covers every permitted type.)
        if (command instanceof CreateTopics c) {
            out.appendByte(CREATE_TOPICS);
            Wire.writeString(out, c.name());
            out.appendInt(c.partitions()).appendInt(c.replicationFactor());
            writeJson(out, c.configs());
            out.appendByte((byte) (c.internal() ? 1 : 0));
        } else if (command instanceof EnsureOffsetsTopic) {
            out.appendByte(ENSURE_OFFSETS_TOPIC);
        } else if (command instanceof ControllerCommand.EnsureSchemasTopic) {
            out.appendByte(ENSURE_SCHEMAS_TOPIC);
        } else if (command instanceof DeleteTopics d) {
            out.appendByte(DELETE_TOPICS);
            Wire.writeString(out, d.name());
        } else if (command instanceof CreatePartitions c) {
            out.appendByte(CREATE_PARTITIONS);
            Wire.writeString(out, c.name());
            out.appendInt(c.count());
        } else if (command instanceof IncrementalAlterConfigs a) {
            out.appendByte(INCREMENTAL_ALTER_CONFIGS);
            Wire.writeString(out, a.name());
            writeJson(out, a.changes());
        } else if (command instanceof AlterPartition a) {
            out.appendByte(ALTER_PARTITION);
            Wire.writeString(out, a.partition().topic());
            out.appendInt(a.partition().partition());
            Wire.writeString(out, a.leader());
            out.appendInt(a.leaderEpoch());
            Wire.writeStrings(out, a.isr());
        } else if (command instanceof ControlledShutdown c) {
            out.appendByte(CONTROLLED_SHUTDOWN);
            Wire.writeString(out, c.nodeId());
        } else if (command instanceof Rebalance) {
            out.appendByte(REBALANCE);
        } else if (command instanceof GetMetadata g) {
            out.appendByte(GET_METADATA);
            Wire.writeString(out, g.startingNode());
        } else if (command instanceof SetVoters v) {
            out.appendByte(SET_VOTERS);
            Wire.writeString(out, v.voters());
        } else if (command instanceof AlterUserScramCredentials a) {
            out.appendByte(ALTER_USER_SCRAM_CREDENTIALS);
            Wire.writeString(out, SecurityJson.write(a.user()));
            out.appendByte((byte) (a.onlyIfAbsent() ? 1 : 0));
        } else if (command instanceof DeleteUser d) {
            out.appendByte(DELETE_USER);
            Wire.writeString(out, d.name());
        } else if (command instanceof CreateAcls c) {
            out.appendByte(CREATE_ACLS);
            Wire.writeString(out, SecurityJson.write(c.acls()));
        } else if (command instanceof DeleteAcls d) {
            out.appendByte(DELETE_ACLS);
            Wire.writeString(out, SecurityJson.write(d.filters()));
        } else {
            throw new IllegalArgumentException("no wire form for " + command.getClass().getName());
        }
    }

    @Override
    protected T read(Wire.Reader in) {
        byte tag = in.readByte();
        ControllerCommand command = switch (tag) {
            case CREATE_TOPICS -> new CreateTopics(in.readString(), in.readInt(), in.readInt(), readJson(in), in.readBoolean());
            case ENSURE_OFFSETS_TOPIC -> new EnsureOffsetsTopic();
            case ENSURE_SCHEMAS_TOPIC -> new ControllerCommand.EnsureSchemasTopic();
            case DELETE_TOPICS -> new DeleteTopics(in.readString());
            case CREATE_PARTITIONS -> new CreatePartitions(in.readString(), in.readInt());
            case INCREMENTAL_ALTER_CONFIGS -> new IncrementalAlterConfigs(in.readString(), readJson(in));
            case ALTER_PARTITION -> new AlterPartition(new TopicPartition(in.readString(), in.readInt()), in.readString(),
                    in.readInt(), in.readStrings());
            case CONTROLLED_SHUTDOWN -> new ControlledShutdown(in.readString());
            case REBALANCE -> new Rebalance();
            case GET_METADATA -> new GetMetadata(in.readString());
            case SET_VOTERS -> new SetVoters(in.readString());
            case ALTER_USER_SCRAM_CREDENTIALS -> new AlterUserScramCredentials(
                    SecurityJson.read(in.readString(), SecurityJson.USER), in.readBoolean());
            case DELETE_USER -> new DeleteUser(in.readString());
            case CREATE_ACLS -> new CreateAcls(SecurityJson.read(in.readString(), SecurityJson.ACLS));
            case DELETE_ACLS -> new DeleteAcls(SecurityJson.read(in.readString(), SecurityJson.FILTERS));
            default -> throw new IllegalArgumentException("unknown controller command tag " + tag);
        };
        if (!type.isInstance(command)) {
            throw new IllegalArgumentException("a " + command.getClass().getSimpleName() + " where a "
                    + type.getSimpleName() + " was expected");
        }
        return type.cast(command);
    }

    private static void writeJson(Buffer out, Map<String, Object> map) {
        Wire.writeString(out, new JsonObject(map).encode());
    }

    /** The map with the raw JSON values (lists, maps) that a decoded HTTP body holds too. */
    private static Map<String, Object> readJson(Wire.Reader in) {
        String json = in.readString();
        if (json == null) {
            throw new IllegalArgumentException("a config map is missing");
        }
        return new JsonObject(json).getMap();
    }
}
