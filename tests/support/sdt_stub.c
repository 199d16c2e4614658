/* A stand-in for a vendor's SDT library (sdtapi/termb), for the ctypes backend's tests.
 *
 * It exports the SDT_* calls with the vendor signatures and answers them with the card given
 * by stub_set_card(); stub_set_mode() chooses a fault. Built by tests/support/sdt_stub.py.
 */
#include <string.h>
#include <unistd.h>

enum { MODE_OK = 0, MODE_NO_CARD = 1, MODE_READ_FAILS = 2, MODE_HANG = 3, MODE_NO_PORT = 4 };

static unsigned char g_text[4096], g_photo[4096];
static int g_text_len = 0, g_photo_len = 0, g_mode = MODE_OK, g_hang_ms = 0, g_open_port = -1;
static int g_finds = 0;

void stub_set_card(const unsigned char *text, int text_len, const unsigned char *photo, int photo_len) {
    g_text_len = text_len < (int)sizeof g_text ? text_len : (int)sizeof g_text;
    g_photo_len = photo_len < (int)sizeof g_photo ? photo_len : (int)sizeof g_photo;
    memcpy(g_text, text, g_text_len);
    memcpy(g_photo, photo, g_photo_len);
}

/* The mode, and how long MODE_HANG blocks inside SDT_ReadBaseMsg (bounded, so threads end). */
void stub_set_mode(int mode, int hang_ms) { g_mode = mode; g_hang_ms = hang_ms; g_finds = 0; }

/* How many searches were made since the last stub_set_mode (to catch retry storms). */
int stub_finds(void) { return g_finds; }

/* An SDT library refuses a call with iIfOpen = 0 on a port nobody opened. */
static int port_ready(int port, int if_open) {
    if (g_mode == MODE_NO_PORT) return 0;
    return if_open || g_open_port == port;
}

int SDT_OpenPort(int port) {
    if (g_mode == MODE_NO_PORT) return 0x01;
    g_open_port = port;
    return 0x90;
}

int SDT_ClosePort(int port) {
    if (g_open_port == port) g_open_port = -1;
    return 0x90;
}

int SDT_StartFindIDCard(int port, unsigned char *manage, int if_open) {
    if (!port_ready(port, if_open)) return 0x01;
    g_finds++;
    if (g_mode == MODE_NO_CARD) return 0x80;
    memset(manage, 0, 4);
    return 0x9F;
}

int SDT_SelectIDCard(int port, unsigned char *manage, int if_open) {
    if (!port_ready(port, if_open)) return 0x01;
    if (g_mode == MODE_NO_CARD) return 0x81;
    memset(manage, 0, 8);
    return 0x90;
}

int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                    unsigned int *photo_len, int if_open) {
    if (!port_ready(port, if_open)) return 0x01;
    if (g_mode == MODE_HANG) usleep((useconds_t)g_hang_ms * 1000);
    if (g_mode == MODE_READ_FAILS) return 0x41;
    memcpy(text, g_text, g_text_len);
    memcpy(photo, g_photo, g_photo_len);
    *text_len = (unsigned int)g_text_len;
    *photo_len = (unsigned int)g_photo_len;
    return 0x90;
}
