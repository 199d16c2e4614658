"""How fast the document camera's live view runs, against reading the same frames raw.

The simulated camera's generated scene (2592×1944, a 5-megapixel 高拍仪) is written once, not
timed, as an MJPG video: what a UVC document camera sends. In the same run, the frames are read
three ways, each for a few seconds:

1. raw: ``cv2.VideoCapture.read()`` on the video — the baseline, decoding only;
2. device: the twin playing that video, ``preview_frame()`` through its DeviceWorker (decode,
   shrink to 960 px, RGB), called back to back;
3. widget: the :class:`~app.ui.camera_preview.CameraPreview` offscreen, unpaced (its timer at
   1000 frames/s) and at its default pace, counting frames put on screen.

Printed: frames/s of each and its ratio to the raw read. No assertions: the numbers are for
people (a real camera delivers 15–30 frames/s; the widget asks for 20).

    python bench/camera_preview.py                 # 3 s per measurement
    python bench/camera_preview.py --seconds 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2

from app.devices.camera_simulated import FRAME_SIZE, SimulatedCamera, generated_scene
from app.services.camera import CameraSession
from app.ui.camera_preview import FPS, CameraPreview
from app.ui.qt import QApplication, QCoreApplication
from app.ui.tasks import wait_for_background

VIDEO_FRAMES = 30


def write_video(path: Path) -> Path:
    scene = generated_scene()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 15, FRAME_SIZE)
    for i in range(VIDEO_FRAMES):
        frame = scene.copy()
        frame[20:60, 20 + 40 * i: 60 + 40 * i] = 255  # frames differ, as a camera's do
        writer.write(frame)
    writer.release()
    return path


def raw_rate(video: Path, seconds: float) -> float:
    cap = cv2.VideoCapture(str(video))
    frames, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        ok, _ = cap.read()
        if not ok:
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            continue
        frames += 1
    elapsed = time.perf_counter() - start
    cap.release()
    return frames / elapsed


def device_rate(video: Path, seconds: float) -> float:
    with SimulatedCamera(video, timeout=30).open() as cam:
        frames, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            cam.preview_frame()
            frames += 1
        return frames / (time.perf_counter() - start)


def widget_rate(video: Path, seconds: float, fps: float) -> float:
    preview = CameraPreview(lambda: CameraSession(SimulatedCamera(video, timeout=30).open()), fps=fps)
    preview.resize(800, 640)
    preview.show()
    preview.start()
    deadline = time.perf_counter() + 30
    while preview.frames < 3 and time.perf_counter() < deadline:  # opened and streaming
        QCoreApplication.processEvents()
        time.sleep(0.001)
    first, start = preview.frames, time.perf_counter()
    while time.perf_counter() - start < seconds:
        QCoreApplication.processEvents()
        time.sleep(0.001)
    rate = (preview.frames - first) / (time.perf_counter() - start)
    preview.stop()
    preview.close()
    wait_for_background(10)
    QCoreApplication.processEvents()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        video = write_video(Path(tmp) / "scene.avi")
        raw = raw_rate(video, args.seconds)
        rows = [
            ("raw cv2 read (baseline)", raw),
            ("device preview_frame()", device_rate(video, args.seconds)),
            ("widget, unpaced", widget_rate(video, args.seconds, 1000.0)),
            (f"widget, paced at {FPS:g}/s", widget_rate(video, args.seconds, FPS)),
        ]
    print(f"source: MJPG {FRAME_SIZE[0]}x{FRAME_SIZE[1]}, preview ≤ 960 px wide; {args.seconds:g} s each")
    for label, rate in rows:
        print(f"  {label:<28} {rate:7.1f} frames/s   ratio to raw {rate / raw:5.2f}")
    del app


if __name__ == "__main__":
    main()
