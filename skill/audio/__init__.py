"""Audio in: WAV files and microphones as AudioChunk streams, cut into utterances."""
