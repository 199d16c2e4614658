"""BAC and secure messaging against ICAO Doc 9303-11's worked example (appendix D), and a whole
read of the emulated passport without PC/SC: one authentication attempt, checked MACs, chaining.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.core.mrz import BacKey
from app.devices import bac, emrtd
from app.devices.bac import BacKeys, SecureMessaging, SecureMessagingError
from app.devices.errors import DeviceError
from tests.support import vpcd_card
from tests.support.vpcd_card import EmulatedPassport, dg1, ef_com


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


# Doc 9303-11, appendix D: the worked example.
MRZ_INFORMATION = "L898902C<369080619406236"
K_SEED = h("239AB9CB282DAF66231DC5A4DF6BFBAE")
K_ENC = h("AB94FDECF2674FDFB9B391F85D7F76F2")
K_MAC = h("7962D9ECE03D1ACD4C76089DCE131543")
RND_ICC = h("4608F91988702212")
RND_IFD = h("781723860C06C226")
K_IFD = h("0B795240CB7049B01C19B33E32804F0B")
K_ICC = h("0B4F80323EB3191CB04970CB4052790B")
S = RND_IFD + RND_ICC + K_IFD
E_IFD = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
M_IFD = h("5F1448EEA8AD90A7")
E_ICC = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F")
M_ICC = h("2F2D235D074D7449")
KS_ENC = h("979EC13B1CBFE9DCD01AB0FED307EAE5")
KS_MAC = h("F1CB1F1FB5ADF208806B89DC579DC1F8")
SSC = h("887022120C06C226")
# (unprotected command, protected command, protected response, decrypted data)
SM_EXCHANGES = [
    (h("00A4020C02011E"), h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"),
     h("990290008E08FA855A5D4C50A8ED9000"), b""),
    (h("00B0000004"), h("0CB000000D9701048E08ED6705417E96BA5500"),
     h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"), h("60145F01")),
    (h("00B0000412"), h("0CB000040D9701128E082EA28A70F3C7B53500"),
     h("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"),
     h("04303130365F36063034303030305C026175")),
]
KEY = BacKey("L898902C", "690806", "940623")


def fixed(*values: bytes) -> Callable[[int], bytes]:
    """A random source that hands out ``values`` in order (each of the length asked)."""
    queue: Iterator[bytes] = iter(values)

    def take(n: int) -> bytes:
        value = next(queue)
        assert len(value) == n
        return value

    return take


def test_key_derivation_of_the_worked_example() -> None:
    assert bac.key_seed(MRZ_INFORMATION) == K_SEED
    assert bac.derive_key(K_SEED, bac.ENC) == K_ENC
    assert bac.derive_key(K_SEED, bac.MAC) == K_MAC
    assert BacKeys.from_mrz(KEY.mrz_information()) == BacKeys(K_ENC, K_MAC)


def test_mutual_authentication_of_the_worked_example() -> None:
    challenge = bac.authenticate_command(BacKeys(K_ENC, K_MAC), RND_ICC, fixed(RND_IFD, K_IFD))
    assert challenge.data == E_IFD + M_IFD
    sm = bac.session_from_response(BacKeys(K_ENC, K_MAC), challenge, E_ICC + M_ICC)
    assert (sm.ks_enc, sm.ks_mac, sm.ssc.to_bytes(8, "big")) == (KS_ENC, KS_MAC, SSC)


def test_a_forged_authentication_answer_is_refused() -> None:
    challenge = bac.authenticate_command(BacKeys(K_ENC, K_MAC), RND_ICC, fixed(RND_IFD, K_IFD))
    with pytest.raises(SecureMessagingError):
        bac.session_from_response(BacKeys(K_ENC, K_MAC), challenge, E_ICC + bytes(8))
    other = bac.authenticate_command(BacKeys(K_ENC, K_MAC), RND_ICC, fixed(bytes(8), K_IFD))
    with pytest.raises(SecureMessagingError):  # a replayed answer does not echo this nonce
        bac.session_from_response(BacKeys(K_ENC, K_MAC), other, E_ICC + M_ICC)


def test_secure_messaging_of_the_worked_example() -> None:
    sm = SecureMessaging(KS_ENC, KS_MAC, int.from_bytes(SSC, "big"))
    for command, protected, response, data in SM_EXCHANGES:
        assert sm.wrap(command) == protected
        assert sm.unwrap(response[:-2], 0x9000) == (data, 0x9000)


def test_a_response_with_a_wrong_mac_is_refused() -> None:
    sm = SecureMessaging(KS_ENC, KS_MAC, int.from_bytes(SSC, "big"))
    sm.wrap(SM_EXCHANGES[0][0])
    response = bytearray(SM_EXCHANGES[0][2][:-2])
    response[-1] ^= 1
    with pytest.raises(SecureMessagingError, match="数据校验失败"):
        sm.unwrap(bytes(response), 0x9000)


def test_the_card_side_computes_the_worked_example_independently() -> None:
    # The card does not adjust parity (the example's unadjusted K_a); DES ignores those bits.
    assert vpcd_card.kdf(K_SEED, 1)[:8] == h("AB94FCEDF2664EDF") != K_ENC[:8]
    assert vpcd_card.cbc_encrypt(vpcd_card.kdf(K_SEED, 1), S) == E_IFD
    assert vpcd_card.mac(K_MAC, E_IFD) == M_IFD
    assert vpcd_card.mac(vpcd_card.kdf(K_SEED, 2), E_ICC) == M_ICC
    assert vpcd_card.cbc_decrypt(K_ENC, E_ICC) == RND_ICC + RND_IFD + K_ICC


def recording(chip: EmulatedPassport, log: list[tuple[bytes, bytes]]) -> emrtd.Transmit:
    def transmit(apdu: bytes) -> tuple[bytes, int]:
        answer = chip.process(apdu)
        log.append((apdu, answer))
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    return transmit


def test_whole_read_replays_the_worked_example() -> None:
    chip = EmulatedPassport(rnd_icc=RND_ICC, k_icc=K_ICC)
    log: list[tuple[bytes, bytes]] = []
    data = emrtd.read_passport(recording(chip, log), KEY, random=fixed(RND_IFD, K_IFD))
    assert log[0] == (h("00A4040C07A0000002471001"), h("9000"))
    assert log[1] == (h("0084000008"), RND_ICC + h("9000"))
    assert log[2] == (h("0082000028") + E_IFD + M_IFD + h("28"), E_ICC + M_ICC + h("9000"))
    assert log[3:6] == [(protected, response) for _, protected, response, _ in SM_EXCHANGES]
    assert chip.auth_attempts == 1
    assert (data.lds_version, data.data_groups) == ("01.06", (1, 2))
    mrz = data.mrz
    assert (mrz.surname, mrz.given_names, mrz.document_number, mrz.nationality) == \
        ("ERIKSSON", "ANNA MARIA", "L898902C", "UTO")
    assert (mrz.birth_date.isoformat(), mrz.sex, mrz.expiry_date.isoformat(), mrz.issuing_state) == \
        ("1969-08-06", "F", "1994-06-23", "UTO")
    assert data.applicant()["id_type"] == "passport"


def test_wrong_mrz_is_one_attempt_and_a_clear_message() -> None:
    chip = EmulatedPassport()
    log: list[tuple[bytes, bytes]] = []
    with pytest.raises(emrtd.AccessDenied) as raised:
        emrtd.read_passport(recording(chip, log), BacKey("L898902C", "690806", "940624"))
    assert raised.value.message == "证件信息不符，请核对证件号码、出生日期和有效期"
    assert chip.auth_attempts == 1
    assert log[-1][0][1] == 0x82 and log[-1][1] == h("6300")  # nothing after the refusal


def test_the_card_checks_the_readers_mac() -> None:
    chip = EmulatedPassport()
    log: list[tuple[bytes, bytes]] = []
    honest = recording(chip, log)

    def tampering(apdu: bytes) -> tuple[bytes, int]:
        if apdu[0] == 0x0C:  # flip a bit of the first protected command's MAC
            apdu = apdu[:-2] + bytes([apdu[-2] ^ 1]) + apdu[-1:]
        return honest(apdu)

    with pytest.raises(SecureMessagingError, match="数据校验失败"):
        emrtd.read_passport(tampering, KEY)
    assert log[-1][1] == h("6988") and chip.session is None


def test_long_files_are_read_in_chunks() -> None:
    chip = EmulatedPassport()
    data = emrtd.read_passport(recording(chip, []), KEY, chunk=16)
    dg1_reads = [(offset, le) for fid, offset, le in chip.reads if fid == 0x0101]
    size = len(dg1(vpcd_card.SPECIMEN_MRZ))
    assert dg1_reads[0] == (0, 4) and all(le <= 16 for _, le in dg1_reads) and len(dg1_reads) > 5
    assert [offset for offset, _ in dg1_reads] == [0, *range(4, size, 16)]
    assert data.mrz.surname == "ERIKSSON"


def test_not_an_emrtd() -> None:
    with pytest.raises(DeviceError, match="不是电子护照"):
        emrtd.read_passport(lambda apdu: (b"", 0x6A82), KEY)


def test_chip_without_bac() -> None:
    answers = iter([(b"", 0x9000), (RND_ICC, 0x9000), (b"", 0x6D00)])
    with pytest.raises(DeviceError, match="不支持本程序的读取方式") as raised:
        emrtd.read_passport(lambda apdu: next(answers), KEY)
    assert not isinstance(raised.value, emrtd.AccessDenied)


def test_chip_mrz_with_a_wrong_check_digit_is_unreadable() -> None:
    lines = (vpcd_card.SPECIMEN_MRZ[0], vpcd_card.SPECIMEN_MRZ[1].replace("6908061", "6908071"))
    chip = EmulatedPassport(files={0x011E: ef_com(), 0x0101: dg1(lines)})
    with pytest.raises(DeviceError, match="无法识别"):
        emrtd.read_passport(recording(chip, []), KEY)


def test_td1_mrz_on_the_chip() -> None:
    td1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    chip = EmulatedPassport(files={0x011E: ef_com(), 0x0101: dg1(td1)})
    data = emrtd.read_passport(recording(chip, []), KEY)
    assert (data.mrz.format, data.mrz.document_number) == ("TD1", "D23145890")


def test_plain_status_after_secure_messaging_is_reported() -> None:
    sm = SecureMessaging(KS_ENC, KS_MAC, 0)
    assert sm.unwrap(b"", 0x6A82) == (b"", 0x6A82)
    with pytest.raises(SecureMessagingError):
        sm.unwrap(b"", 0x9000)


@pytest.mark.parametrize(("apdu", "split"), [
    (h("00B0000004"), (h("00B00000"), b"", 4)),
    (h("00A4020C02011E"), (h("00A4020C"), h("011E"), None)),
    (h("00A4020C02011E00"), (h("00A4020C"), h("011E"), 0)),
    (h("0084000000"), (h("00840000"), b"", 0)),
])
def test_command_apdu_forms(apdu: bytes, split: tuple[bytes, bytes, int | None]) -> None:
    assert bac._split_command(apdu) == split
