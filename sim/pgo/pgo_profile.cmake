# Runs the PGO training program and hands its profile to the optimised model's build
# (sim/CMakeLists.txt, SMARTNIC_SIM_PGO). cmake -P with:
#   TRAIN_EXE   the training program (linked against the -fprofile-generate model)
#   TRAIN_DIR   object folder of the instrumented model target (where its .gcda files appear)
#   USE_DIR     object folder of the optimised model target (where -fprofile-use looks)
#   TRAIN_NAME / USE_NAME   the two target names (they appear in the object paths)
#   STAMP       written when done
# Both targets compile the same generated sources with the same paths below their folders, so
# each .gcda file is copied to the same relative path with the target name swapped.
foreach(v TRAIN_EXE TRAIN_DIR USE_DIR TRAIN_NAME USE_NAME STAMP)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "pgo_profile.cmake: ${v} not set")
  endif()
endforeach()

file(GLOB_RECURSE old "${TRAIN_DIR}/*.gcda" "${USE_DIR}/*.gcda")
if(old)
  file(REMOVE ${old})
endif()
execute_process(COMMAND "${TRAIN_EXE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "PGO training run failed (${rc}): ${TRAIN_EXE}")
endif()

file(GLOB_RECURSE profiles RELATIVE "${TRAIN_DIR}" "${TRAIN_DIR}/*.gcda")
if(NOT profiles)
  message(FATAL_ERROR "PGO training wrote no profile under ${TRAIN_DIR}")
endif()
foreach(rel IN LISTS profiles)
  string(REPLACE "${TRAIN_NAME}.dir" "${USE_NAME}.dir" dst "${rel}")
  get_filename_component(dst_dir "${USE_DIR}/${dst}" DIRECTORY)
  file(MAKE_DIRECTORY "${dst_dir}")
  file(COPY_FILE "${TRAIN_DIR}/${rel}" "${USE_DIR}/${dst}")
endforeach()
list(LENGTH profiles n)
file(WRITE "${STAMP}" "${n} profiles\n")
