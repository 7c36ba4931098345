/** A running camera scan; `stop()` turns the camera off. */
export interface CameraScan {
  stop(): void;
}

/** Why the camera could not be used, in words for the user. */
export function cameraProblem(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The camera is not allowed for this page. Allow it in the browser, or paste the link below.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return 'No camera was found. Paste the link below instead.';
  }
  if (!globalThis.navigator?.mediaDevices?.getUserMedia) {
    return 'This browser cannot use the camera here. Paste the link below instead.';
  }
  return 'The camera could not be started. Paste the link below instead.';
}

/** How often a camera frame is read; a phone held still needs only a few tries a second. */
const FRAME_EVERY_MS = 200;

/**
 * Reads QR codes from the back camera into `video` with ZXing (`@zxing/browser`), calling
 * `onText` for every code it reads until stopped. The decoder is loaded only when the camera is
 * opened, so the rest of the mobile app does not carry its weight.
 *
 * The frame loop is ours rather than ZXing's: its loop gives up for good on the first error it
 * does not expect (a frame not ready yet, a decoder hiccup on a blurred frame), and a scanner
 * must keep looking until the user stops it.
 */
export async function startCameraScan(video: HTMLVideoElement, onText: (text: string) => void): Promise<CameraScan> {
  const { BrowserQRCodeReader } = await import('@zxing/browser');
  const reader = new BrowserQRCodeReader();
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' } },
  });
  const full = frameCanvas();
  const half = frameCanvas();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const readFrame = () => {
    if (stopped) return;
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      // ZXing's finder-pattern detector misses some codes at one size that it reads at another:
      // a second look at half size reads most of what the first missed.
      for (const [frame, scale] of [[full, 1] as const, [half, 0.5] as const]) {
        if (!frame.draw(video, scale)) continue;
        try {
          onText(reader.decodeFromCanvas(frame.canvas).getText());
          break;
        } catch {
          // No code at this size (or not a readable one).
        }
      }
    }
    timer = setTimeout(readFrame, FRAME_EVERY_MS);
  };
  try {
    video.srcObject = stream;
    await video.play();
  } catch (error) {
    stop();
    throw error;
  }
  readFrame();
  return { stop };
}

function frameCanvas() {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return {
    canvas,
    /** Copies the video's current frame, scaled; false when there is no canvas to draw on. */
    draw(video: HTMLVideoElement, scale: number): boolean {
      if (!context) return false;
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      return true;
    },
  };
}
