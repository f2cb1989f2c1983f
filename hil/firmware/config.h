/* Board configuration of the reference firmware (ATmega328P, Arduino Uno/Nano). */
#ifndef RO_CONFIG_H
#define RO_CONFIG_H

#ifndef F_CPU
#define F_CPU 16000000UL
#endif
#ifndef BAUD
#define BAUD 115200UL          /* must match the bridge's --baud default and the harness */
#endif

#define UART_RX_SIZE 512u      /* power of two: a burst of 20 TCs fits while we transmit */
#define FRAME_MAX 96u          /* encoded TC frame bytes we keep; longer frames are dropped */
#define TM_MAX 96u             /* largest TM we build */
#define DEDUP_SIZE 64u         /* request ids remembered for execute-once */
#define TURN_RATE_DEG_S 2.0f   /* in mission seconds */
#define START_HEADING_DEG 270.0f /* down the lander's ramp, as the emulator starts */
#define BATTERY_START_PCT 95.0f
#define BATTERY_DRAIN_PCT_PER_M 0.01f
#define PROGRESS_STEP_PCT 25u

#endif
