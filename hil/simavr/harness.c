/* Runs the reference firmware on a simulated ATmega328P, with UART0 on a pseudo-terminal.
 *
 *   harness [--mcu atmega328p] [--freq 16000000] [--no-throttle] [--eeprom FILE] FIRMWARE.elf
 *
 * Loads the ELF (byte for byte the one that is flashed), makes a pty for UART0 with
 * uart_pty_init/uart_pty_connect, prints the pty's path on stdout as one line, then runs the
 * core until SIGTERM or SIGINT, when it stops cleanly and exits 0.
 *
 * EEPROM: erased (0xFF) at start, as on a new chip; the ELF's .eeprom section is not loaded,
 * since flashing (`make flash`) writes only the flash. With --eeprom FILE it survives the
 * harness, as a board's survives power: loaded from FILE at start (a missing or empty FILE is
 * an erased EEPROM; a shorter one is erased past its end), and written back, whole, to a
 * temporary file renamed over FILE (never a torn FILE, even under SIGKILL) whenever it has
 * changed: checked every 10 ms of simulated time, before any byte the UART sent is passed to
 * the pty (so nothing the firmware sent after an EEPROM write can be seen before that write
 * is in FILE, as on a board, where the write completes before the next instruction), and at
 * exit on SIGTERM/SIGINT.
 *
 * Resets: simavr (1.6 and later) resets the core when the watchdog times out with its
 * interrupt disabled, as the chip does: the firmware's REBOOT runs here as on a board. The
 * EEPROM, the pty and the harness's hooks survive the reset.
 *
 * Timing: simavr runs as fast as the host allows. The harness throttles it to wall time:
 * sleeping is accounted in simulated cycles only (simavr's raw callback would usleep per
 * sleep), and the run loop waits whenever simulated time gets ahead of the wall clock. So
 * the firmware's millis track wall time, and its 1 s housekeeping is 1 Hz wall.
 *
 * Bytes: in this simavr, uart_pty moves bytes on its own thread and stops reading the pty
 * whenever the UART's FIFO has filled once, until a byte goes out the other way (so input
 * stalls for up to a second). The harness therefore keeps the pty uart_pty made but stops
 * its thread and pumps the pty itself, on the main thread between instructions: output
 * bytes are written as the UART sends them; input is read without blocking and fed into
 * the UART half a FIFO at a time whenever the UART reports its FIFO empty (XON). simavr
 * paces the firmware's reads at about one byte time; it does not pace the pty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <avr_eeprom.h>
#include <avr_uart.h>
#include <parts/uart_pty.h>
#include <sim_avr.h>
#include <sim_elf.h>

/* libsimavr's uart_pty_connect always makes this link in the C library's temp dir; we never
   use it (the pty name is read from the struct), only remove it if it points at ours. */
#define SIMAVR_LINK P_tmpdir "/simavr-uart0"
#define QUEUE_SIZE 65536u                /* power of two */
#define UART_FEED_CHUNK 32               /* half the UART's input FIFO */
#define EEPROM_MAX 4096u                 /* the largest AVR EEPROM */

typedef struct {
    uint8_t data[QUEUE_SIZE];
    uint32_t head, tail;  /* free-running; head - tail bytes waiting */
} queue_t;

static volatile sig_atomic_t stop_requested;
static queue_t rx_queue, tx_queue;
static int master = -1;
static int uart_empty = 1;
static avr_irq_t *uart_in;

/* The EEPROM's persistence (--eeprom FILE). */
static avr_t *eeprom_avr;
static const char *eeprom_path;
static uint32_t eeprom_size;
static uint8_t eeprom_saved[EEPROM_MAX];  /* what FILE holds */
static int eeprom_failed;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* Sleeping costs no host time here; the throttle in the run loop keeps wall-clock pace. */
static void sleep_accounted(avr_t *avr, avr_cycle_count_t how_long) {
    (void)avr;
    (void)how_long;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The UART sent a byte. */
static void uart_output(struct avr_irq_t *irq, uint32_t value, void *param) {
    (void)irq;
    (void)param;
    if (tx_queue.head - tx_queue.tail < QUEUE_SIZE) {
        tx_queue.data[tx_queue.head++ % QUEUE_SIZE] = (uint8_t)value;
    }  /* else nobody has read the pty for 64 KB: like a disconnected cable, bytes are lost */
}

/* The UART raises XON whenever it finds its input FIFO empty. */
static void uart_xon(struct avr_irq_t *irq, uint32_t value, void *param) {
    (void)irq;
    (void)param;
    if (value) {
        uart_empty = 1;
    }
}

/* The core's EEPROM into buf. simavr's EEPROM ioctls return -1 on success as well as when
 * nobody handles them: the caller checks the bytes (eeprom_open reads back what it set). */
static void eeprom_get(uint8_t *buf) {
    avr_eeprom_desc_t desc = {.ee = buf, .offset = 0, .size = eeprom_size};
    avr_ioctl(eeprom_avr, AVR_IOCTL_EEPROM_GET, &desc);
}

static int write_all(int fd, const uint8_t *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* FILE := the EEPROM, if it changed since FILE was last written: a temporary file in the same
 * directory, renamed over FILE. A failure is reported once and tried again at the next check. */
static void eeprom_sync(void) {
    if (eeprom_path == NULL) {
        return;
    }
    uint8_t now[EEPROM_MAX];
    eeprom_get(now);
    if (memcmp(now, eeprom_saved, eeprom_size) == 0) {
        return;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", eeprom_path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write_all(fd, now, eeprom_size) == 0;
    if (fd >= 0 && close(fd) != 0) {
        ok = 0;
    }
    if (ok && rename(tmp, eeprom_path) == 0) {
        memcpy(eeprom_saved, now, eeprom_size);
        eeprom_failed = 0;
    } else if (!eeprom_failed) {
        eeprom_failed = 1;
        fprintf(stderr, "harness: cannot write %s: %s\n", eeprom_path, strerror(errno));
    }
}

/* Erase the EEPROM, then load FILE into it if there is one. */
static int eeprom_open(avr_t *avr, const char *path) {
    eeprom_avr = avr;
    eeprom_size = avr->e2end + 1u;
    if (eeprom_size > EEPROM_MAX) {
        fprintf(stderr, "harness: EEPROM of %u bytes: too large\n", (unsigned)eeprom_size);
        return -1;
    }
    uint8_t image[EEPROM_MAX];
    memset(image, 0xFF, sizeof image);
    if (path != NULL) {
        int fd = open(path, O_RDONLY);
        if (fd < 0 && errno != ENOENT) {
            fprintf(stderr, "harness: cannot read %s: %s\n", path, strerror(errno));
            return -1;
        }
        if (fd >= 0) {
            uint8_t extra;
            ssize_t n = read(fd, image, eeprom_size);
            ssize_t more = n >= 0 ? read(fd, &extra, 1) : 0;
            close(fd);
            if (n < 0 || more != 0) {
                fprintf(stderr, "harness: %s: %s\n", path,
                        n < 0 ? strerror(errno) : "larger than the MCU's EEPROM");
                return -1;
            }
        }
    }
    avr_eeprom_desc_t desc = {.ee = image, .offset = 0, .size = eeprom_size};
    avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &desc);
    uint8_t check[EEPROM_MAX];
    memset(check, 0, sizeof check);
    eeprom_get(check);
    if (memcmp(check, image, eeprom_size) != 0) {
        fprintf(stderr, "harness: this simavr does not let the EEPROM be set\n");
        return -1;
    }
    memcpy(eeprom_saved, image, eeprom_size);
    eeprom_path = path;
    return 0;
}

static void pump(void) {
    if (tx_queue.tail != tx_queue.head) {
        eeprom_sync();  /* what preceded these bytes is in FILE before they leave */
    }
    while (tx_queue.tail != tx_queue.head) {
        uint32_t start = tx_queue.tail % QUEUE_SIZE;
        uint32_t len = tx_queue.head - tx_queue.tail;
        if (len > QUEUE_SIZE - start) {
            len = QUEUE_SIZE - start;
        }
        ssize_t n = write(master, tx_queue.data + start, len);
        if (n <= 0) {
            break;  /* EAGAIN: the pty is full (nobody reading); try again later */
        }
        tx_queue.tail += (uint32_t)n;
    }
    while (rx_queue.head - rx_queue.tail < QUEUE_SIZE) {
        uint32_t start = rx_queue.head % QUEUE_SIZE;
        uint32_t room = QUEUE_SIZE - (rx_queue.head - rx_queue.tail);
        if (room > QUEUE_SIZE - start) {
            room = QUEUE_SIZE - start;
        }
        ssize_t n = read(master, rx_queue.data + start, room);
        if (n <= 0) {
            break;  /* EAGAIN: nothing waiting; EIO: no client has the pty open */
        }
        rx_queue.head += (uint32_t)n;
    }
    if (uart_empty && rx_queue.tail != rx_queue.head) {
        uart_empty = 0;
        for (int i = 0; i < UART_FEED_CHUNK && rx_queue.tail != rx_queue.head; i++) {
            avr_raise_irq(uart_in, rx_queue.data[rx_queue.tail++ % QUEUE_SIZE]);
        }
    }
}

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [--mcu NAME] [--freq HZ] [--no-throttle] [--eeprom FILE] "
                    "FIRMWARE.elf\n", argv0);
}

/* Take UART0's bytes over from uart_pty: stop its thread, rewire the UART's output. */
static int take_over_pty(avr_t *avr, uart_pty_t *pty) {
    pthread_cancel(pty->thread);
    pthread_join(pty->thread, NULL);
    master = pty->port[0].s;
    avr_irq_t *out = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT);
    avr_irq_t *xon = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON);
    uart_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
    if (out == NULL || xon == NULL || uart_in == NULL) {
        return -1;
    }
    avr_unconnect_irq(out, pty->irq + IRQ_UART_PTY_BYTE_IN);
    avr_unconnect_irq(pty->irq + IRQ_UART_PTY_BYTE_OUT, uart_in);
    avr_irq_register_notify(out, uart_output, NULL);
    avr_irq_register_notify(xon, uart_xon, NULL);
    int flags = fcntl(master, F_GETFL);
    return fcntl(master, F_SETFL, flags | O_NONBLOCK);
}

/* Keep the slave open and raw: it starts in cooked mode with echo, which would echo the
 * firmware's output back into it and rewrite CR bytes until a client set raw mode, and
 * holding it keeps the pty alive (reads give no EIO) between clients. */
static int hold_slave_raw(const char *path) {
    int slave = open(path, O_RDWR | O_NOCTTY);
    struct termios tio;
    if (slave < 0 || tcgetattr(slave, &tio) != 0) {
        return -1;
    }
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    return slave;
}

static void remove_simavr_link(const char *ours) {
    char target[128];
    ssize_t n = readlink(SIMAVR_LINK, target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        if (strcmp(target, ours) == 0) {
            unlink(SIMAVR_LINK);
        }
    }
}

int main(int argc, char **argv) {
    const char *mcu = "atmega328p";
    unsigned long freq = 16000000ul;
    int throttle = 1;
    const char *path = NULL;
    const char *eeprom = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mcu") == 0 && i + 1 < argc) {
            mcu = argv[++i];
        } else if (strcmp(argv[i], "--freq") == 0 && i + 1 < argc) {
            freq = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--eeprom") == 0 && i + 1 < argc) {
            eeprom = argv[++i];
        } else if (strcmp(argv[i], "--no-throttle") == 0) {
            throttle = 0;
        } else if (argv[i][0] == '-' || path != NULL) {
            usage(argv[0]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (path == NULL || freq == 0) {
        usage(argv[0]);
        return 2;
    }
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "harness: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }

    /* simavr and its parts chatter on stdout; keep stdout for the one line we promise. */
    fflush(stdout);
    int out = dup(STDOUT_FILENO);
    if (out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        perror("harness: dup");
        return 1;
    }

    elf_firmware_t firmware;
    memset(&firmware, 0, sizeof firmware);
    if (elf_read_firmware(path, &firmware) != 0) {
        fprintf(stderr, "harness: %s is not a loadable AVR ELF\n", path);
        return 1;
    }
    snprintf(firmware.mmcu, sizeof firmware.mmcu, "%s", mcu);
    firmware.frequency = (uint32_t)freq;

    avr_t *avr = avr_make_mcu_by_name(mcu);
    if (avr == NULL) {
        fprintf(stderr, "harness: simavr does not know the MCU %s\n", mcu);
        return 1;
    }
    avr_init(avr);
    avr_load_firmware(avr, &firmware);
    avr->frequency = (uint32_t)freq;
    if (throttle) {
        avr->sleep = sleep_accounted;
    }
    if (eeprom_open(avr, eeprom) != 0) {
        return 1;
    }

    static uart_pty_t pty;
    uart_pty_init(avr, &pty);
    uart_pty_connect(&pty, '0');
    const char *pty_path = pty.port[0].slavename;
    if (pty.port[0].s == 0 || pty_path[0] == '\0') {
        fprintf(stderr, "harness: no pty for UART0\n");
        return 1;
    }
    int slave = hold_slave_raw(pty_path);
    if (slave < 0 || take_over_pty(avr, &pty) != 0) {
        fprintf(stderr, "harness: cannot set up %s: %s\n", pty_path, strerror(errno));
        return 1;
    }
    /* simavr's uart sleeps 1 us on every UCSR0A poll by default: not with a throttle. */
    uint32_t uart_flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &uart_flags);
    uart_flags &= ~(uint32_t)AVR_UART_FLAG_POOL_SLEEP;
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &uart_flags);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    FILE *line = fdopen(out, "w");
    if (line == NULL) {
        perror("harness: fdopen");
        return 1;
    }
    fprintf(line, "%s\n", pty_path);
    fflush(line);

    const uint64_t start_ns = now_ns();
    const avr_cycle_count_t start_cycle = avr->cycle;
    const avr_cycle_count_t every = freq / 4000u;  /* a quarter of a simulated millisecond */
    const avr_cycle_count_t eeprom_every = freq / 100u;  /* 10 simulated milliseconds */
    avr_cycle_count_t next_check = start_cycle + every;
    avr_cycle_count_t next_eeprom = start_cycle + eeprom_every;
    int status = 0;
    while (!stop_requested) {
        int state = avr_run(avr);
        if (state == cpu_Done || state == cpu_Crashed) {
            fprintf(stderr, "harness: the core stopped (%s)\n",
                    state == cpu_Done ? "done" : "crashed");
            status = 1;
            break;
        }
        if (avr->cycle < next_check) {
            continue;
        }
        next_check = avr->cycle + every;
        pump();
        if (avr->cycle >= next_eeprom) {
            next_eeprom = avr->cycle + eeprom_every;
            eeprom_sync();
        }
        if (throttle) {
            uint64_t sim_ns = (uint64_t)((avr->cycle - start_cycle) * 1000000000.0 / freq);
            uint64_t wall_ns = now_ns() - start_ns;
            if (sim_ns > wall_ns + 100000u) {
                uint64_t ahead = sim_ns - wall_ns;
                struct timespec ts = {(time_t)(ahead / 1000000000u), (long)(ahead % 1000000000u)};
                nanosleep(&ts, NULL);  /* a signal cuts it short: fine */
            }
        }
    }
    eeprom_sync();
    remove_simavr_link(pty_path);
    close(master);
    close(slave);
    avr_terminate(avr);
    fclose(line);
    return status;
}
