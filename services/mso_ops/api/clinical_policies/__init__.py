"""The PC's coding rules and medical-records policy, as the MSO holds and follows them."""
