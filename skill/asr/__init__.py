"""Speech recognition: audio utterances in, transcripts of intent commands out."""
