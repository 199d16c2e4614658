"""The simulated resident ID card reader (``sim:id_reader``), for demo and training.

It holds a few made-up people (fictional names, ID numbers with a correct check character) and
gives the next one on each read. Each card goes through the chip's text block and back
(:func:`encode_text_block` then :func:`decode_text_block`), so the twin exercises the same
decoder as a real reader, and it runs on a device thread like them.
"""

from __future__ import annotations

import datetime as dt
import itertools

from app.core.ids import resident_id_check_char
from app.core.resident_card import PHOTO_SIZE, ResidentCard, decode_text_block, encode_text_block
from app.devices.device import Device
from app.devices.id_reader import LABEL, simulated_info

# Not a real wlt photo (there is no encoder here): the right size, recognisably a placeholder.
PLACEHOLDER_PHOTO = (b"SIMULATED-PHOTO:" * (PHOTO_SIZE // 16))[:PHOTO_SIZE]


def _person(name: str, sex: str, nation: str, birth: dt.date, region: str, sequence: str, address: str,
            authority: str, valid_from: dt.date, valid_to: dt.date | None) -> ResidentCard:
    body = f"{region}{birth:%Y%m%d}{sequence}"
    return ResidentCard(name=name, sex=sex, nation=nation, birth=birth, address=address,
                        id_number=body + resident_id_check_char(body), authority=authority,
                        valid_from=valid_from, valid_to=valid_to, photo_wlt=PLACEHOLDER_PHOTO)


# The sequence's last digit is odd for men and even for women, as on real numbers.
PEOPLE: tuple[ResidentCard, ...] = (
    _person("林晓燕", "女", "汉族", dt.date(1986, 3, 14), "450403", "152", "广西壮族自治区梧州市长洲区新兴二路18号",
            "梧州市公安局长洲分局", dt.date(2016, 5, 20), dt.date(2036, 5, 20)),
    _person("黄志强", "男", "壮族", dt.date(1975, 11, 2), "450402", "301", "广西壮族自治区梧州市万秀区大学路56号3栋",
            "梧州市公安局万秀分局", dt.date(2021, 8, 9), None),
    _person("蒙丽华", "女", "瑶族", dt.date(2001, 7, 23), "450422", "362", "广西壮族自治区梧州市藤县藤州镇东胜路9号",
            "藤县公安局", dt.date(2019, 9, 2), dt.date(2029, 9, 2)),
    _person("韦国庆", "男", "壮族", dt.date(1990, 10, 1), "450403", "457", "广西壮族自治区梧州市长洲区龙华路33号",
            "梧州市公安局长洲分局", dt.date(2012, 3, 15), dt.date(2032, 3, 15)),
)


class SimulatedIdReader(Device):
    """A reader that always has a card on it: the next of :data:`PEOPLE` on each read."""

    def __init__(self, timeout: float, people: tuple[ResidentCard, ...] = PEOPLE) -> None:
        super().__init__(simulated_info(), label=LABEL, timeout=timeout)
        self._people = itertools.cycle(people)

    def read_card(self) -> ResidentCard:
        """The next person's card, through the chip's text block."""
        return self._call(self._read_card, what="read card")

    def _read_card(self) -> ResidentCard:
        card = next(self._people)  # only ever on the worker's one thread
        return decode_text_block(encode_text_block(card), card.photo_wlt, today=dt.date.today())
