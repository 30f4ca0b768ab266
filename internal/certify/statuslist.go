package certify

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ErrStatusListIndex is returned by EncodeStatusList and StatusListValue for
// an index outside the status list or a value that does not fit its entry.
var ErrStatusListIndex = errors.New("certify: index outside the status list")

// The status lists (W3C Bitstring Status List v1.0). Every credential has one
// credentialStatus: an entry of statusSize bits in the "message" list, whose
// value says valid, suspended or revoked. One entry instead of a revocation
// and a suspension entry, because Open Badges 3.0 allows one. Credentials
// handed out by earlier releases point into the one-bit "revocation" and
// "suspension" lists, which stay published at the same index.
const (
	StatusPurposeMessage    = "message"
	StatusPurposeRevocation = "revocation"
	StatusPurposeSuspension = "suspension"

	// statusSize is the width of an entry in the message list.
	statusSize = 2
)

// The values of an entry in the message list: the first bit says revoked,
// the second suspended.
const (
	statusValueValid     = 0x0
	statusValueSuspended = 0x1
	statusValueRevoked   = 0x2
)

// statusMessages are the statusMessage of every value, 0x0 first: as many as
// two bits can hold, as the specification asks.
var statusMessages = [1 << statusSize]string{"valid", "suspended", "revoked", "revoked"}

// StatusPurposes are the status lists published.
var StatusPurposes = []string{StatusPurposeMessage, StatusPurposeRevocation, StatusPurposeSuspension}

// Sizes of a Bitstring Status List.
const (
	// minStatusListEntries is the fewest entries a list has, so that a
	// list does not betray whose credential is checked (131,072 entries:
	// 16 KiB of one-bit entries).
	minStatusListEntries = 131072
	// maxStatusListBytes bounds a decoded list, so that a hostile list
	// cannot exhaust memory.
	maxStatusListBytes = 16 << 20
)

// EncodeStatusList returns the encodedList of a Bitstring Status List of at
// least entries entries (at least 131,072) of size bits each, with the
// entries in values set to their value: entry i takes bits i×size to
// i×size+size−1, the first bit of the list being the most significant bit of
// its first byte, and the value written most significant bit first. The
// bitstring is GZIP-compressed, base64url-encoded without padding and
// prefixed with the multibase "u". It returns ErrStatusListIndex for an
// entry outside the list or a value that does not fit size bits.
func EncodeStatusList(entries, size int, values map[int]uint8) (string, error) {
	if size < 1 || size > 8 {
		return "", fmt.Errorf("certify: encode status list: entry size %d: %w", size, ErrStatusListIndex)
	}
	n := max(entries, minStatusListEntries)
	bits := make([]byte, (n*size+7)/8)
	for index, v := range values {
		if index < 0 || index >= n || int(v) >= 1<<size {
			return "", fmt.Errorf("certify: encode status list: %d=%d of %d: %w", index, v, n, ErrStatusListIndex)
		}
		for j := range size {
			if v&(1<<(size-1-j)) != 0 {
				pos := index*size + j
				bits[pos/8] |= 0x80 >> (pos % 8)
			}
		}
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	if _, err := zw.Write(bits); err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// StatusListValue returns the value of entry index in encoded, an
// encodedList of entries of size bits as EncodeStatusList makes it. It
// returns ErrStatusListIndex when index is outside the list, and a plain
// error when encoded is not a valid list (no multibase "u", not base64url,
// not GZIP, fewer than 131,072 entries or longer than 16 MiB).
func StatusListValue(encoded string, index, size int) (uint8, error) {
	bits, err := decodeStatusList(encoded, size)
	if err != nil {
		return 0, fmt.Errorf("certify: status list value: %w", err)
	}
	if index < 0 || (index+1)*size > len(bits)*8 {
		return 0, fmt.Errorf("certify: status list value: %d of %d: %w", index, len(bits)*8/size, ErrStatusListIndex)
	}
	var v uint8
	for j := range size {
		pos := index*size + j
		v <<= 1
		if bits[pos/8]&(0x80>>(pos%8)) != 0 {
			v |= 1
		}
	}
	return v, nil
}

// decodeStatusList returns the bitstring of an encodedList of size-bit entries.
func decodeStatusList(encoded string, size int) ([]byte, error) {
	if size < 1 || size > 8 {
		return nil, fmt.Errorf("entry size %d is not 1 to 8 bits", size)
	}
	data, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return nil, errors.New("encoded list lacks the multibase prefix u")
	}
	compressed, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxStatusListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	switch {
	case len(bits) > maxStatusListBytes:
		return nil, errors.New("encoded list is too long")
	case len(bits)*8/size < minStatusListEntries:
		return nil, fmt.Errorf("encoded list has %d entries, fewer than %d", len(bits)*8/size, minStatusListEntries)
	}
	return bits, nil
}

// statusValue is the value of a certificate's entry in the list of purpose,
// from its stored status.
func statusValue(purpose, status string) uint8 {
	switch {
	case purpose == StatusPurposeMessage && status == StatusRevoked:
		return statusValueRevoked
	case purpose == StatusPurposeMessage && status == StatusSuspended:
		return statusValueSuspended
	case purpose == StatusPurposeRevocation && status == StatusRevoked,
		purpose == StatusPurposeSuspension && status == StatusSuspended:
		return 1
	}
	return 0
}

// StatusList returns the Bitstring Status List credential for purpose
// ("message", "revocation" or "suspension"), and the same signed as a
// VC-JWT with the current key. It returns ErrNotFound for another purpose.
func (s *Service) StatusList(ctx context.Context, purpose string) (map[string]any, string, error) {
	size := 1
	switch purpose {
	case StatusPurposeMessage:
		size = statusSize
	case StatusPurposeRevocation, StatusPurposeSuspension:
	default:
		return nil, "", ErrNotFound
	}
	state, err := s.store.statusState(ctx)
	if err != nil {
		return nil, "", err
	}
	values := make(map[int]uint8, len(state.NotValid))
	for index, status := range state.NotValid {
		if v := statusValue(purpose, status); v != 0 {
			values[index] = v
		}
	}
	encoded, err := EncodeStatusList(state.MaxIndex+1, size, values)
	if err != nil {
		return nil, "", err
	}
	changed := state.Changed
	if changed.IsZero() {
		changed = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	cred := BuildStatusListCredential(s.baseURL, s.Issuer(), purpose, encoded, changed)
	key, err := s.store.currentKey(ctx, s.now())
	if err != nil {
		return nil, "", err
	}
	token, err := SignCredential(s.baseURL, key, s.Issuer().ID, cred)
	if err != nil {
		return nil, "", err
	}
	return cred, token, nil
}
