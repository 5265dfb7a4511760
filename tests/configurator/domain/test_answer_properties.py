"""The answers checker (configurator.invariants, written from the domain's rules, not from the engine) over
generated catalogs: random link ports with complete, partial or unknown pin tables, supplies, pins that must stay
empty, enable loops, bus channels, several ports per bus, parallel ports of any bus, DIP banks with patterns and
protocol bits, shared and unshared protocols, every voltage class. Every pair asked on every bus at 1, 2 and 3
packs breaks no rule."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configurator.domain import ConfigurationError, Options, available_options, configure, require_bus
from configurator.domain.types import (
    DeviceProtocolSpec,
    DeviceSpec,
    DipBankSpec,
    DipSwitchSpec,
    PinSpec,
    PortSpec,
    ProtocolSpec,
    SettingSpec,
    Source,
)
from configurator.invariants import Answer, answer_violations

SOURCE = Source("generated.txt", "section")
PROTOCOLS = (
    ProtocolSpec("a-can", "A CAN", "can", 500000),
    ProtocolSpec("b-can", "B CAN", "can", 250000),
    ProtocolSpec("c-485", "C RS485", "rs485", 9600),
)
LINK = {"can": ("can_h", "can_l"), "rs485": ("rs485_p", "rs485_n")}
FILLERS = ["nc", "gnd", "can_gnd", "vcc", "do", "di", "other", "must_be_empty", "rs232_tx", "enable_p", "enable_n"]


@st.composite
def link_port(draw, name: str, role: str) -> PortSpec:
    buses = tuple(draw(st.sets(st.sampled_from(["can", "rs485"]), min_size=1)))
    pinout = draw(st.sampled_from(["complete", "complete", "partial", "unknown"]))
    connector = draw(st.sampled_from(["rj45", "rj45", "terminal_block"]))
    pins = {}
    if pinout != "unknown":
        free = draw(st.permutations(range(1, 9)))
        taken = 0
        for bus in buses:
            channels = draw(st.sampled_from([(None,), (None,), (0, 1)]))
            for channel in channels:
                for signal in LINK[bus]:
                    if taken < 8 and (pinout == "complete" or draw(st.booleans())):
                        pins[free[taken]] = (signal, channel)
                        taken += 1
        for position in free[taken:]:
            if pinout == "complete" or draw(st.booleans()):
                pins[position] = (draw(st.sampled_from(FILLERS)), None)
    specs = tuple(PinSpec(n, signal, f"L{n}", channel=channel) for n, (signal, channel) in sorted(pins.items()))
    termination = draw(st.sampled_from(["built_in", "switchable", "plug_in", "none", "unknown"]))
    return PortSpec(name, connector, role, buses, 8 if connector == "rj45" else None, pinout, termination, pins=specs)


@st.composite
def protocols(draw) -> tuple[DeviceProtocolSpec, ...]:
    chosen = draw(st.sets(st.sampled_from(PROTOCOLS)))
    selections = []
    for p in sorted(chosen, key=lambda p: p.slug):
        method = draw(st.sampled_from(["automatic", "fixed", "dip", "lcd_menu"]))
        value = {
            "dip": st.sampled_from(["xxxx01", "xxxx10", "0000x1"]),
            "lcd_menu": st.sampled_from(["", "CAN 00"]),
        }.get(method, st.just(""))
        extras = (
            (SettingSpec("Err_Stop", "On", optional=True),) if method == "lcd_menu" and draw(st.booleans()) else ()
        )
        derivation = draw(st.sampled_from(["", "from another fact"]))
        selections.append(
            DeviceProtocolSpec(
                p,
                method,
                value=draw(value),
                priority=draw(st.sampled_from([None, 1, 2])),
                derivation=derivation,
                extras=extras,
            )
        )
    return tuple(selections)


@st.composite
def bank(draw) -> DipBankSpec | None:
    kind = draw(st.sampled_from(["none", "address", "pattern", "bare"]))
    if kind == "none":
        return None
    if kind == "pattern":
        return DipBankSpec(
            "DIP", 6, all_packs_pattern=draw(st.sampled_from(["000000", "0x0x00"])), last_pack_pattern="000100"
        )
    if kind == "bare":
        return DipBankSpec("DIP", 4)
    switches = (
        *(DipSwitchSpec(n, "address_bit", n - 1) for n in range(1, 5)),
        DipSwitchSpec(5, "protocol_bit", 0),
        DipSwitchSpec(6, draw(st.sampled_from(["protocol_bit", "termination", "baud", "other"])), 1),
    )
    return DipBankSpec("DIP", 6, switches=switches, master_address=draw(st.sampled_from([0, 1])), max_packs=8)


@st.composite
def device(draw, slug: str, kind: str) -> DeviceSpec:
    role = "inverter_link" if kind == "battery" else "battery_link"
    ports = [draw(link_port(f"{slug}-{n}", role)) for n in range(draw(st.integers(0, 2)))]
    if kind == "battery" and draw(st.booleans()):
        buses = draw(st.sampled_from([(), ("can",), ("rs485",)]))
        ports.append(
            PortSpec("Link", "rj45", "parallel", buses, 8, "unknown", draw(st.sampled_from(["switchable", "unknown"])))
        )
    banks = (b,) if kind == "battery" and (b := draw(bank())) is not None else ()
    return DeviceSpec(
        slug,
        "Maker",
        slug,
        kind,
        draw(st.sampled_from(["hv", "lv", "lv_hv", "unknown"])),
        SOURCE,
        ports=tuple(ports),
        protocols=draw(protocols()),
        dip_banks=banks,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(device("bat", "battery"), device("inv", "inverter"))
def test_no_generated_pair_breaks_a_rule_on_any_bus_or_stack(battery, inverter):
    choices = available_options(battery, inverter)
    for bus in ("best", "can", "rs485"):
        for packs in (1, 2, 3):
            options = Options(bus=bus, packs=packs)
            try:
                require_bus(options, choices)
                result, refused = configure(battery, inverter, (), options), False
            except ConfigurationError:
                result, refused = configure(battery, inverter, (), Options(bus="best")), True
            answer = Answer(battery, inverter, None, bus, packs, result, refused)
            assert answer_violations(answer) == []
