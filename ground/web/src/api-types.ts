// GENERATED FILE: do not edit. The HTTP API v1 contract as TypeScript, made by
// openapi-typescript from the ground's OpenAPI (ground/api/, the dictionary's commands).
// Regenerate with `make api-types`; `make web` fails while this file is stale (docs/api.md).

export interface paths {
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health
         * @description Liveness; the only route that needs no token.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dictionary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dictionary
         * @description Every command and telemetry channel, with types, units, ranges and limits.
         */
        get: operations["getDictionary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Link
         * @description Light time, time scale and mission time now.
         */
        get: operations["getLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Rovers
         * @description Each rover: presence, who plays it, its site's Mars time, its queue.
         */
        get: operations["listRovers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Commands
         * @description Commands, newest first.
         */
        get: operations["listCommands"];
        put?: never;
        /**
         * Submit
         * @description Queue a command. It is on disk when this answers 201.
         */
        post: operations["submitCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/commands/{command_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Command
         * @description One command and its history.
         */
        get: operations["getCommand"];
        put?: never;
        post?: never;
        /**
         * Cancel
         * @description Cancel a queued command; 409 once it has been radiated.
         */
        delete: operations["cancelCommand"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Queue
         * @description Whether the queue is held, and how many commands wait in it.
         */
        get: operations["getQueue"];
        /**
         * Put Queue
         * @description Hold (new commands stay queued) or release the rover's queue.
         */
        put: operations["setQueue"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/telemetry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Latest
         * @description The latest value of every channel.
         */
        get: operations["getTelemetry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/telemetry/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * History
         * @description Samples of one channel, oldest first: the newest ``limit`` since ``since``.
         */
        get: operations["getChannelHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rovers/{rover}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events
         * @description Rover events, newest first.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * ArgSpec
         * @description A command's argument.
         */
        ArgSpec: {
            /** Name */
            name: string;
            /**
             * Type
             * @enum {string}
             */
            type: "u8" | "u16" | "u32" | "i16" | "i32" | "f32" | "bool" | "enum";
            /** Unit */
            unit: string | null;
            /** Description */
            description: string;
            /** Min */
            min: number | null;
            /** Max */
            max: number | null;
            /**
             * Choices
             * @description An enum's choices, in order
             */
            choices: string[] | null;
            /** Default */
            default: number | boolean | string | null;
            /** Optional */
            optional: boolean;
        };
        /**
         * BridgeCounters
         * @description What the serial bridge counts on its line (``rovers/{id}/mars/bridge``).
         */
        BridgeCounters: {
            /**
             * Frames Up
             * @description TM frames from the board published upstream
             */
            frames_up: number;
            /**
             * Frames Down
             * @description TC frames written to the board
             */
            frames_down: number;
            /** Bytes Up */
            bytes_up: number;
            /** Bytes Down */
            bytes_down: number;
            /** Cobs Errors */
            cobs_errors: number;
            /** Crc Errors */
            crc_errors: number;
            /** Too Long */
            too_long: number;
            /** Too Short */
            too_short: number;
            /**
             * Resyncs
             * @description Frames skipped for any of the reasons above
             */
            resyncs: number;
            /**
             * Reopenings
             * @description Times the port was opened again after losing it
             */
            reopenings: number;
            /**
             * Queued
             * @description TCs waiting for the board now
             */
            queued: number;
            /**
             * Expired
             * @description TCs answered BOARD_UNREACHABLE
             */
            expired: number;
            /**
             * Screened
             * @description Bytes from mars/tc that are not a TC, answered BAD_CRC/MALFORMED
             */
            screened: number;
            /** Board Online */
            board_online: boolean;
            /** Port Open */
            port_open: boolean;
        };
        /** ChannelHistory */
        ChannelHistory: {
            /** Channel */
            channel: string;
            /**
             * Samples
             * @description Oldest first
             */
            samples: components["schemas"]["Sample"][];
        };
        /**
         * ChannelSpec
         * @description A telemetry channel.
         */
        ChannelSpec: {
            /** Name */
            name: string;
            /**
             * Type
             * @enum {string}
             */
            type: "u8" | "u16" | "u32" | "i16" | "i32" | "f32" | "bool" | "enum";
            /** Unit */
            unit: string | null;
            /** Description */
            description: string;
            /** Choices */
            choices: string[] | null;
            limits: components["schemas"]["Limits"] | null;
        };
        /** ChannelValue */
        ChannelValue: {
            /** Value */
            value: number | boolean | string;
            /** Unit */
            unit: string | null;
            /**
             * Rover Time
             * Format: date-time
             * @description When the rover sampled it (mission time)
             * @example 2031-05-01T12:00:00.000Z
             */
            rover_time: string;
            /**
             * Ground Time
             * Format: date-time
             * @description When the ground received it (mission time)
             * @example 2031-05-01T12:00:00.000Z
             */
            ground_time: string;
        };
        /**
         * Command
         * @description A command and its whole history (docs/delivery.md: predictions, retransmissions).
         */
        Command: {
            /** Id */
            id: number;
            /** Rover */
            rover: string;
            /** Name */
            name: string;
            /**
             * Args
             * @description Arguments as checked, defaults filled in
             */
            args: {
                [key: string]: number | boolean | string;
            };
            /**
             * State
             * @enum {string}
             */
            state: "queued" | "radiated" | "accepted" | "started" | "completed" | "rejected" | "failed" | "timed_out" | "cancelled";
            /**
             * History
             * @description Every transition and retransmission, oldest first
             */
            history: components["schemas"]["HistoryEntry"][];
            /**
             * Radiated At
             * @description The latest radiation
             */
            radiated_at: string | null;
            /**
             * Predicted Arrival
             * @description When it reaches Mars
             */
            predicted_arrival: string | null;
            /**
             * Predicted Ack
             * @description The earliest acknowledgement: two light times after radiation
             */
            predicted_ack: string | null;
            /**
             * Error
             * @description The rover's failure code and reason, or why the ground gave up
             */
            error: string | null;
            /**
             * Progress
             * @description Percent done, as the rover reports it
             */
            progress: number | null;
            /**
             * Seq Count
             * @description The TC's sequence count, once assigned
             */
            seq_count: number | null;
            /**
             * Deadline
             * @description When silence means it is lost
             */
            deadline: string | null;
            /** Retransmissions */
            retransmissions: number;
        };
        /**
         * CommandRequest
         * @description A command of the dictionary and its arguments by name. Arguments with a default may be left out.
         */
        CommandRequest: components["schemas"]["PingRequest"] | components["schemas"]["DriveRequest"] | components["schemas"]["TurnRequest"] | components["schemas"]["StopRequest"] | components["schemas"]["SetModeRequest"] | components["schemas"]["TakeImageRequest"] | components["schemas"]["RadarSoundingRequest"] | components["schemas"]["LibsShotRequest"] | components["schemas"]["ClimateSampleRequest"] | components["schemas"]["MagSampleRequest"] | components["schemas"]["SetHeaterRequest"] | components["schemas"]["ShakeSolarArraysRequest"] | components["schemas"]["SyncTimeRequest"] | components["schemas"]["RebootRequest"];
        /** CommandSpec */
        CommandSpec: {
            /** Name */
            name: string;
            /** Description */
            description: string;
            /** Service */
            service: number;
            /** Subtype */
            subtype: number;
            /**
             * Function Id
             * @description ST[08] function id; null for other services
             */
            function_id: number | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "system" | "motion" | "instrument" | "configuration";
            /**
             * Hazardous
             * @description The console asks for a confirmation
             */
            hazardous: boolean;
            /**
             * Expected Duration S
             * @description Mission seconds it runs with its defaults; null when an argument sets it
             */
            expected_duration_s: number | null;
            duration: components["schemas"]["DurationSpec"];
            /**
             * Moves
             * @description How a motion command moves the rover: `drive` its duration's amount in metres along the heading, `turn` that many degrees; null for the others
             */
            moves: ("drive" | "turn") | null;
            /** Args */
            args: components["schemas"]["ArgSpec"][];
        };
        /**
         * Dictionary
         * @description Every command, telemetry channel, event and housekeeping report.
         */
        Dictionary: {
            /** Commands */
            commands: components["schemas"]["CommandSpec"][];
            /** Telemetry */
            telemetry: components["schemas"]["ChannelSpec"][];
            /** Events */
            events: components["schemas"]["EventSpec"][];
            /** Housekeeping */
            housekeeping: components["schemas"]["HousekeepingSpec"][];
        };
        /**
         * Downlink
         * @description The ground's accounting of the rover's telemetry (docs/delivery.md).
         */
        Downlink: {
            /**
             * Packets
             * @description Packets applied, late ones included
             */
            packets: number;
            /**
             * Duplicates
             * @description Packets already applied, received again
             */
            duplicates: number;
            /**
             * Gaps
             * @description Sequence counts skipped and not since filled: lost
             */
            gaps: number;
            /**
             * Late
             * @description Packets never seen before that came after newer ones
             */
            late: number;
            /**
             * Rejected
             * @description Packets refused, by reason
             */
            rejected: {
                [key: string]: number;
            };
            /**
             * Last Seq
             * @description The newest packet's sequence count
             */
            last_seq: number | null;
        };
        /**
         * DurationSpec
         * @description How long a command runs on the rover: ``fixed_s``, plus, when ``amount`` names an
         *     argument, that argument's magnitude over ``rate``.
         */
        DurationSpec: {
            /**
             * Fixed S
             * @description Mission seconds
             */
            fixed_s: number;
            /**
             * Amount
             * @description The argument whose magnitude it runs by (a motion's distance or angle)
             */
            amount: string | null;
            /**
             * Rate
             * @description Amount per mission second, or the argument that holds it
             */
            rate: number | string;
        };
        /** EventSpec */
        EventSpec: {
            /** Name */
            name: string;
            /** Id */
            id: number;
            /**
             * Severity
             * @enum {string}
             */
            severity: "info" | "low" | "medium" | "high";
            /** Description */
            description: string;
            /** Params */
            params: components["schemas"]["FieldSpec"][];
        };
        /**
         * FieldSpec
         * @description A typed value on the wire: an event's parameter.
         */
        FieldSpec: {
            /** Name */
            name: string;
            /**
             * Type
             * @enum {string}
             */
            type: "u8" | "u16" | "u32" | "i16" | "i32" | "f32" | "bool" | "enum";
            /** Unit */
            unit: string | null;
            /** Description */
            description: string;
            /** Min */
            min: number | null;
            /** Max */
            max: number | null;
            /**
             * Choices
             * @description An enum's choices, in order
             */
            choices: string[] | null;
        };
        /** Health */
        Health: {
            /**
             * Status
             * @constant
             */
            status: "ok";
            /**
             * Broker
             * @enum {string}
             */
            broker: "connected" | "disconnected";
        };
        /** HistoryEntry */
        HistoryEntry: {
            /**
             * State
             * @enum {string}
             */
            state: "queued" | "radiated" | "accepted" | "started" | "completed" | "rejected" | "failed" | "timed_out" | "cancelled";
            /**
             * At
             * Format: date-time
             * @example 2031-05-01T12:00:00.000Z
             */
            at: string;
            /** Detail */
            detail: string | null;
        };
        /** HousekeepingSpec */
        HousekeepingSpec: {
            /** Sid */
            sid: number;
            /** Name */
            name: string;
            /**
             * Period S
             * @description Wall seconds of the rover's own clock: period_s x time_scale mission seconds
             */
            period_s: number;
            /** Channels */
            channels: string[];
        };
        /**
         * Issue
         * @description One thing wrong with a request; ``loc`` names where (``["body", "args", "speed_mps"]``).
         */
        Issue: {
            /** Loc */
            loc: (string | number)[];
            /** Msg */
            msg: string;
            /**
             * Type
             * @description `missing`, `invalid_argument`, `unknown_command`, `too_large`, ... (FastAPI's and the dictionary's kinds)
             */
            type: string;
            /**
             * Input
             * @description What was sent there, when FastAPI says
             */
            input?: unknown;
            /**
             * Ctx
             * @description The violated constraint
             */
            ctx?: {
                [key: string]: unknown;
            } | null;
        };
        /** Limits */
        Limits: {
            /** Red Low */
            red_low: number | null;
            /** Yellow Low */
            yellow_low: number | null;
            /** Yellow High */
            yellow_high: number | null;
            /** Red High */
            red_high: number | null;
        };
        /**
         * Link
         * @description The deep-space link now: its light-time model and the mission clock.
         */
        Link: {
            /**
             * State
             * @description `open` while the DSN says it listens: commands are radiated only then
             * @enum {string}
             */
            state: "open" | "closed";
            /**
             * Light Time
             * @description The model's spec: `ephemeris` or `fixed:SECONDS`
             */
            light_time: string;
            /**
             * Model
             * @description The model's name: `ephemeris` or `fixed`
             */
            model: string;
            /**
             * Owlt S
             * @description One-way light time now, mission seconds
             */
            owlt_s: number;
            /**
             * Time Scale
             * @description Mission seconds per wall second
             */
            time_scale: number;
            /**
             * Now
             * Format: date-time
             * @description Mission time now
             * @example 2031-05-01T12:00:00.000Z
             */
            now: string;
            /**
             * Distance Km
             * @description Earth-Mars distance the light time implies
             */
            distance_km: number;
            /**
             * In Flight
             * @description Packets the DSN holds now; null before it spoke
             */
            in_flight: number | null;
            /**
             * Closed Because
             * @description Why nothing may be radiated; null if open
             */
            closed_because: string | null;
        };
        /**
         * MarsTime
         * @description Mars time at the rover's site (Mars24).
         */
        MarsTime: {
            /**
             * Msd
             * @description Mars Sol Date
             */
            msd: number;
            /**
             * Sol
             * @description Sols since landing
             */
            sol: number;
            /**
             * Lmst
             * @description Local mean solar time, HH:MM:SS
             */
            lmst: string;
            /**
             * Ltst
             * @description Local true solar time, HH:MM:SS
             */
            ltst: string;
            /**
             * Ls Deg
             * @description Areocentric solar longitude
             */
            ls_deg: number;
        };
        /**
         * Message
         * @description An error said in words: 401, 404, 405, 409.
         */
        Message: {
            /**
             * Detail
             * @example unknown rover 'yutu2'
             */
            detail: string;
        };
        /** QueueRequest */
        QueueRequest: {
            /**
             * Held
             * @description True: hold new commands in the queue; false: release it
             */
            held: boolean;
        };
        /** QueueState */
        QueueState: {
            /**
             * Held
             * @description True: new commands stay queued until released
             */
            held: boolean;
            /**
             * Length
             * @description Commands waiting to be radiated
             */
            length: number;
        };
        /**
         * Rover
         * @description A rover: who plays it, its site's Mars time, its queue and its downlink.
         */
        Rover: {
            /** Id */
            id: string;
            /** Apid */
            apid: number;
            site: components["schemas"]["Site"];
            /** Online */
            online: boolean;
            /**
             * Played By
             * @description Who plays the rover while it is online
             */
            played_by: ("emulator" | "bridge") | null;
            /**
             * Since
             * @description When the current player came online (its presence's `since`, mission time)
             */
            since: string | null;
            /**
             * Supports
             * @description The commands the player executes; null: every command of the dictionary
             */
            supports: string[] | null;
            /** @description The bridge's counters, when a board plays the rover */
            bridge: components["schemas"]["BridgeCounters"] | null;
            mars: components["schemas"]["MarsTime"];
            queue: components["schemas"]["QueueState"];
            /**
             * Last Tm At
             * @description Mission time of the last packet applied
             */
            last_tm_at: string | null;
            downlink: components["schemas"]["Downlink"];
        };
        /** RoverEvent */
        RoverEvent: {
            /** Id */
            id: number;
            /** Rover */
            rover: string;
            /** Name */
            name: string;
            /**
             * Severity
             * @enum {string}
             */
            severity: "info" | "low" | "medium" | "high";
            /** Message */
            message: string;
            /** Params */
            params: {
                [key: string]: number | boolean | string;
            };
            /**
             * Rover Time
             * Format: date-time
             * @example 2031-05-01T12:00:00.000Z
             */
            rover_time: string;
            /**
             * Ground Time
             * Format: date-time
             * @example 2031-05-01T12:00:00.000Z
             */
            ground_time: string;
            /**
             * Seq Count
             * @description Of the TM packet that carried it
             */
            seq_count: number | null;
        };
        /** Sample */
        Sample: {
            /** Value */
            value: number | boolean | string;
            /**
             * Rover Time
             * Format: date-time
             * @example 2031-05-01T12:00:00.000Z
             */
            rover_time: string;
            /**
             * Ground Time
             * Format: date-time
             * @example 2031-05-01T12:00:00.000Z
             */
            ground_time: string;
        };
        /** Site */
        Site: {
            /** Name */
            name: string;
            /** Lon E Deg */
            lon_e_deg: number;
            /** Lat Deg */
            lat_deg: number;
        };
        /** TelemetrySnapshot */
        TelemetrySnapshot: {
            /**
             * Channels
             * @description The latest value of each channel heard from, by name
             */
            channels: {
                [key: string]: components["schemas"]["ChannelValue"];
            };
        };
        /**
         * ValidationErrors
         * @description 422: what the request got wrong, each naming its field (FastAPI's validation shape).
         */
        ValidationErrors: {
            /** Detail */
            detail: components["schemas"]["Issue"][];
        };
        /**
         * PingRequest
         * @description Are you there? Answered with an ST[17] pong.
         */
        PingRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "PING";
            args?: Record<string, never>;
        };
        /**
         * DriveRequest
         * @description Drive straight ahead (negative: reverse); stops at a detected hazard.
         */
        DriveRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "DRIVE";
            args: {
                /** @description Distance to drive (m); f32 */
                distance_m: number;
                /**
                 * @description Wheel speed (m/s); f32
                 * @default 0.05
                 */
                speed_mps?: number;
            };
        };
        /**
         * TurnRequest
         * @description Turn in place (positive: to the left).
         */
        TurnRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "TURN";
            args: {
                /** @description Angle to turn (deg); f32 */
                angle_deg: number;
            };
        };
        /**
         * StopRequest
         * @description Stop any motion now.
         */
        StopRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "STOP";
            args?: Record<string, never>;
        };
        /**
         * SetModeRequest
         * @description Change the rover's operating mode.
         */
        SetModeRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "SET_MODE";
            args: {
                /**
                 * @description Operating mode; enum
                 * @enum {string}
                 */
                mode: "nominal" | "safe" | "sleep";
            };
        };
        /**
         * TakeImageRequest
         * @description Acquire an image.
         */
        TakeImageRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "TAKE_IMAGE";
            args: {
                /**
                 * @description Camera; enum
                 * @enum {string}
                 */
                camera: "natecam" | "mscam" | "hazcam_front" | "hazcam_rear";
            };
        };
        /**
         * RadarSoundingRequest
         * @description Subsurface radar (RoPeR) sounding.
         */
        RadarSoundingRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "RADAR_SOUNDING";
            args: {
                /** @description Sounding duration (s); u16 */
                duration_s: number;
                /**
                 * @description Low (deep) or high (shallow) frequency channel; enum
                 * @default low
                 * @enum {string}
                 */
                channel?: "low" | "high";
            };
        };
        /**
         * LibsShotRequest
         * @description MarSCoDe laser-induced breakdown spectroscopy on a target.
         */
        LibsShotRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "LIBS_SHOT";
            args: {
                /** @description Distance to the target (m); f32 */
                target_distance_m: number;
                /**
                 * @description Laser shots; u8
                 * @default 30
                 */
                shots?: number;
            };
        };
        /**
         * ClimateSampleRequest
         * @description Mars Climate Station sampling run.
         */
        ClimateSampleRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "CLIMATE_SAMPLE";
            args: {
                /** @description Sampling duration (s); u16 */
                duration_s: number;
            };
        };
        /**
         * MagSampleRequest
         * @description RoMAG magnetometer sampling run.
         */
        MagSampleRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "MAG_SAMPLE";
            args: {
                /** @description Sampling duration (s); u16 */
                duration_s: number;
            };
        };
        /**
         * SetHeaterRequest
         * @description Switch a survival heater zone.
         */
        SetHeaterRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "SET_HEATER";
            args: {
                /**
                 * @description Heater zone; enum
                 * @enum {string}
                 */
                zone: "battery" | "instruments";
                /** @description Heater on; bool */
                on: boolean;
            };
        };
        /**
         * ShakeSolarArraysRequest
         * @description Tilt and shake the solar arrays to shed dust.
         */
        ShakeSolarArraysRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "SHAKE_SOLAR_ARRAYS";
            args?: Record<string, never>;
        };
        /**
         * SyncTimeRequest
         * @description Set the on-board mission clock and its rate.
         */
        SyncTimeRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "SYNC_TIME";
            args: {
                /** @description Mission time, whole seconds since 2000-01-01Z (s); u32 */
                seconds: number;
                /**
                 * @description Mission seconds per wall second; f32
                 * @default 1
                 */
                time_scale?: number;
            };
        };
        /**
         * RebootRequest
         * @description Restart the flight software; what is in non-volatile memory survives.
         */
        RebootRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            name: "REBOOT";
            args?: Record<string, never>;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getDictionary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dictionary"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Link"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    listRovers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rover"][];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    listCommands: {
        parameters: {
            query?: {
                state?: "queued" | "radiated" | "accepted" | "started" | "completed" | "rejected" | "failed" | "timed_out" | "cancelled";
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"][];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    submitCommand: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1 to 128 printable ASCII characters (a UUID will do). A POST repeated with the same key and the same body queues nothing new: it answers 200 with the command the first one created, so a client that lost an answer can safely send again. The same key with a different body answers 409. Keys are kept per rover, for as long as their command. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommandRequest"];
            };
        };
        responses: {
            /** @description A repeat of a request already taken under its Idempotency-Key: the command it created, as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description Queued: the command, on disk */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description The Idempotency-Key was already used with a different body */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
                /** @description The command's id */
                command_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id, or no command of that id for that rover */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    cancelCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
                /** @description The command's id */
                command_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled: the command, kept with its history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id, or no command of that id for that rover */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description The command has left the queue (radiated or ended), or is already cancelled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueState"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    setQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueState"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getTelemetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetrySnapshot"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    getChannelHistory: {
        parameters: {
            query?: {
                /** @description Only samples taken at or after this moment (rover time) */
                since?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
                /** @description A telemetry channel of the dictionary */
                channel: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelHistory"];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id, or no channel of that name in the dictionary */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                limit?: number;
                severity?: "info" | "low" | "medium" | "high";
            };
            header?: never;
            path: {
                /** @description A rover's id, as `GET /api/v1/rovers` lists it */
                rover: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoverEvent"][];
                };
            };
            /** @description No `Authorization: Bearer <token>`, or a wrong token */
            401: {
                headers: {
                    /** @description `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description No rover of that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description A parameter, header or body the API refuses, each `loc` naming it (a body that is not JSON: `json_invalid`); or a request body over 16384 bytes (`loc` `["body"]`, type `too_large`), whatever the route */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
        };
    };
}
