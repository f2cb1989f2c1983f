# Reference rover firmware (ATmega328P) and the simavr harness that runs it.
#
# Included by the top Makefile (`include hil/firmware/firmware.mk`), run from the repo root;
# also usable alone: `make -f hil/firmware/firmware.mk firmware`.
#
#   make firmware-header      generate hil/firmware/generated/dictionary.h from the dictionary
#   make firmware             build hil/firmware/build/rover.elf and .hex, print avr-size
#   make flash PORT=/dev/ttyACM0 [FLASH_BAUD=115200]   program a board with avrdude
#   make simavr-harness       build hil/simavr/build/harness (libsimavr)
#   make clean-firmware

FW_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
HIL_DIR := $(patsubst %/,%,$(dir $(FW_DIR)))
FW_BUILD := $(FW_DIR)/build
FW_GEN := $(FW_DIR)/generated
FW_HEADER := $(FW_GEN)/dictionary.h
FW_ELF := $(FW_BUILD)/rover.elf
FW_HEX := $(FW_BUILD)/rover.hex
SIM_DIR := $(HIL_DIR)/simavr
SIM_BUILD := $(SIM_DIR)/build
SIM_HARNESS := $(SIM_BUILD)/harness

FW_PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)
AVR_CC ?= avr-gcc
AVR_OBJCOPY ?= avr-objcopy
AVR_SIZE ?= avr-size
AVRDUDE ?= avrdude
FW_MCU ?= atmega328p
FW_F_CPU ?= 16000000UL
# Empty: RO_SERIAL_BAUD from the generated header (spacelink/rovers.py); set it to override.
FW_BAUD ?=
FLASH_BAUD ?= 115200
FLASH_PROGRAMMER ?= arduino
SIM_CFLAGS ?= $(shell pkg-config --cflags simavr)
SIM_LIBS ?= -lsimavr -lsimavrparts -lelf -lpthread -lutil

FW_SOURCES := $(wildcard $(FW_DIR)/*.c)
FW_OBJECTS := $(patsubst $(FW_DIR)/%.c,$(FW_BUILD)/%.o,$(FW_SOURCES))
FW_CFLAGS := -mmcu=$(FW_MCU) -DF_CPU=$(FW_F_CPU) $(if $(strip $(FW_BAUD)),-DBAUD=$(FW_BAUD)) -Os -std=gnu11 \
	-Wall -Wextra -Werror -ffunction-sections -fdata-sections -I$(FW_DIR) -MMD -MP
FW_LDFLAGS := -mmcu=$(FW_MCU) -Wl,--gc-sections

.PHONY: firmware firmware-header flash simavr-harness clean-firmware

firmware-header: $(FW_HEADER)

$(FW_HEADER): $(HIL_DIR)/codegen.py spacelink/dictionary.py spacelink/packets.py spacelink/rovers.py
	$(FW_PYTHON) -m hil.codegen $@

firmware: $(FW_HEX)
	@$(AVR_SIZE) --format=berkeley $(FW_ELF)
	@$(AVR_SIZE) --format=avr --mcu=$(FW_MCU) $(FW_ELF) 2>/dev/null | grep -E 'Program|Data|EEPROM' || true

$(FW_BUILD)/%.o: $(FW_DIR)/%.c $(FW_HEADER) | $(FW_BUILD)
	$(AVR_CC) $(FW_CFLAGS) -c $< -o $@

$(FW_ELF): $(FW_OBJECTS)
	$(AVR_CC) $(FW_LDFLAGS) $^ -o $@ -lm

$(FW_HEX): $(FW_ELF)
	$(AVR_OBJCOPY) -O ihex -R .eeprom $< $@

$(FW_BUILD) $(SIM_BUILD):
	mkdir -p $@

flash: $(FW_HEX)
	@test -n "$(PORT)" || { echo "usage: make flash PORT=/dev/ttyACM0" >&2; exit 2; }
	$(AVRDUDE) -p $(FW_MCU) -c $(FLASH_PROGRAMMER) -P $(PORT) -b $(FLASH_BAUD) -D \
		-U flash:w:$(FW_HEX):i

simavr-harness: $(SIM_HARNESS)

$(SIM_HARNESS): $(SIM_DIR)/harness.c | $(SIM_BUILD)
	$(CC) -O2 -Wall -Wextra -std=gnu11 $(SIM_CFLAGS) $< -o $@ \
		$(SIM_LIBS)

clean-firmware:
	rm -rf $(FW_BUILD) $(FW_GEN) $(SIM_BUILD)

-include $(FW_OBJECTS:.o=.d)
