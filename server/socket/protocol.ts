/**
 * The socket.io event maps, declared once and typed on both ends. Types only: the browser
 * imports this file without pulling any server code.
 */
export interface ServerInfo {
  readonly name: "DStream Studio";
  readonly version: string;
  readonly startedAt: string;
}

export interface ServerToClientEvents {
  "server:info": (info: ServerInfo) => void;
}

export interface ClientToServerEvents {
  "server:ping": (ack: (reply: { now: number }) => void) => void;
}
