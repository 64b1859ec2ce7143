package io.sluice.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The wire form of one {@link RegistryCommand} type: the record's JSON (a registry write is an admin
 * request, rare and small, where readability of the frame beats its size).
 */
public final class RegistryCommandCodec<T extends RegistryCommand> extends BusCodec<T> {
    private final Class<T> type;

    public RegistryCommandCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T message) {
        Wire.writeString(out, message.toJson().encode());
    }

    @Override
    protected T read(Wire.Reader in) {
        JsonObject o = new JsonObject(in.readString());
        RegistryCommand c;
        if (type == RegistryCommand.Register.class) {
            c = RegistryCommand.Register.fromJson(o);
        } else if (type == RegistryCommand.DeleteSubject.class) {
            c = RegistryCommand.DeleteSubject.fromJson(o);
        } else if (type == RegistryCommand.DeleteVersion.class) {
            c = RegistryCommand.DeleteVersion.fromJson(o);
        } else if (type == RegistryCommand.SetConfig.class) {
            c = RegistryCommand.SetConfig.fromJson(o);
        } else if (type == RegistryCommand.SetMode.class) {
            c = RegistryCommand.SetMode.fromJson(o);
        } else {
            throw new IllegalArgumentException("no registry command " + type);
        }
        return type.cast(c);
    }
}
