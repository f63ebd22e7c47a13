"""The course's base_sequential_model.py as a student submits it (students do not edit it).

Written against the course skeleton, not our reference; tests/test_grader.py
grades this folder and expects full marks.
"""

import json
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset


class BaseSequentialModel:
    def __init__(self, vocab_size, max_input_len):
        self.vocab_size = vocab_size
        self.max_input_len = max_input_len
        self.model = None
        self.model_name = self.__class__.__name__
        self.loss_history = []
        self.hyper_params = {}
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    def set_hyperparameters(self):
        raise NotImplementedError

    def define_model(self):
        raise NotImplementedError

    def save_model_path(self):
        return os.path.join("rnn_model_weights", self.model_name + "_weights.pth")

    def save_losses_path(self):
        return os.path.join("rnn_model_weights", self.model_name + "_losses.json")

    def train(self, x, y, train_from_scratch=False):
        self.hyper_params = self.hp
        self.model.to(self.device)
        if not train_from_scratch and os.path.exists(self.save_model_path()):
            print("Loading saved weights for " + self.model_name)
            self.model.load_state_dict(torch.load(self.save_model_path(), map_location=self.device))
            if os.path.exists(self.save_losses_path()):
                with open(self.save_losses_path()) as f:
                    self.loss_history = json.load(f)
            return

        print(f"Training {self.model_name} model from scratch...")
        os.makedirs("rnn_model_weights", exist_ok=True)
        inputs = torch.tensor(np.array(x), dtype=torch.long)
        targets = torch.tensor(np.array(y), dtype=torch.long).view(-1)
        loader = DataLoader(TensorDataset(inputs, targets),
                            batch_size=self.hp["batch_size"], shuffle=True)
        optimizer = optim.RMSprop(self.model.parameters(), lr=self.hp["learning_rate"])
        criterion = nn.CrossEntropyLoss()

        self.loss_history = []
        best_loss = float("inf")
        for epoch in range(self.hp["epochs"]):
            self.model.train()
            total_loss = 0.0
            for batch_x, batch_y in loader:
                batch_x, batch_y = batch_x.to(self.device), batch_y.to(self.device)
                optimizer.zero_grad()
                loss = criterion(self.model(batch_x), batch_y)
                loss.backward()
                optimizer.step()
                total_loss += loss.item() * batch_x.size(0)
            epoch_loss = total_loss / len(loader.dataset)
            self.loss_history.append(epoch_loss)
            print(f"Epoch {epoch + 1}/{self.hp['epochs']}, Loss: {epoch_loss:.4f}")
            if epoch_loss < best_loss:
                best_loss = epoch_loss
                torch.save(self.model.state_dict(), self.save_model_path())
                print(f"    Saved best model to {self.save_model_path()}")

        self.model.load_state_dict(torch.load(self.save_model_path(), map_location=self.device))
        print(f"Finished training. Best model weights saved to {self.save_model_path()}")
        with open(self.save_losses_path(), "w") as f:
            json.dump(self.loss_history, f)
        print(f"Saved {self.model_name} model loss history to {self.save_losses_path()}")

    def plot_loss(self):
        plt.figure(figsize=(8, 5))
        plt.plot(range(1, len(self.loss_history) + 1), self.loss_history, marker="o")
        plt.title(f"{self.model_name} Training Loss")
        plt.xlabel("Epoch")
        plt.ylabel("Loss")
        plt.grid(True)
        plt.show()
