/* Board configuration of the reference firmware (ATmega328P, Arduino Uno/Nano).
 *
 * Only what is the board's own is here. What it shares with the emulator (turn rate, start
 * heading and state of charge, progress steps, execute-once depth, baud, reason length) is
 * RO_* in generated/dictionary.h, generated from spacelink/ by hil/codegen.py. */
#ifndef RO_CONFIG_H
#define RO_CONFIG_H

#include "generated/dictionary.h"

#ifndef F_CPU
#define F_CPU 16000000UL
#endif
#ifndef BAUD
#define BAUD RO_SERIAL_BAUD    /* the bridge's default; `make firmware FW_BAUD=...` overrides */
#endif

#define UART_RX_SIZE 512u      /* power of two: a burst of 20 TCs fits while we transmit */
#define FRAME_MAX 96u          /* encoded TC frame bytes we keep; longer frames are dropped */
#define TM_MAX 96u             /* largest TM we build */
/* The board's own battery model: a fixed drain per metre driven (the emulator integrates
 * solar power and loads over the sol instead). */
#define BATTERY_DRAIN_PCT_PER_M 0.01f

#endif
