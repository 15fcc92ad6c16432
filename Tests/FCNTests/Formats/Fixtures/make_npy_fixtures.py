import numpy as np  # writes the .npy fixtures: cd Tests/FCNTests/Formats/Fixtures && python3 make_npy_fixtures.py
np.save("float32_2x3x4.npy", np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.25) - np.float32(3))
np.save("float64_3.npy", np.array([1 / 3, -2.5, 1e10])); np.save("fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
