"""Bit-pattern conversions shared by the table and reference-data scripts."""
import struct


def f32_of_bits(b):
    """The f32 with bit pattern b, as a Python float."""
    return struct.unpack("<f", struct.pack("<I", b))[0]


def bits_of_f32(x):
    """The bit pattern of x rounded to f32."""
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f32_round(x):
    """x rounded to f32 (nearest, ties to even), as a Python float."""
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


def f64_of_bits(b):
    """The f64 with bit pattern b."""
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def bits_of_f64(x):
    """The bit pattern of the f64 x."""
    return struct.unpack("<Q", struct.pack("<d", x))[0]
